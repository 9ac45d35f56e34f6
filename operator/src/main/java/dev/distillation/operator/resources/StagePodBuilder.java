package dev.distillation.operator.resources;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.job.StageJobFactory;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainerSpec;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.Labels;
import dev.distillation.operator.managed.ObjectNames;
import dev.distillation.operator.managed.StageAnnotations;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one attempt of one stage looks like as a Pod. Pure: the same inputs give the same Pod.
 * The Pod carries in its annotations ({@link StageAnnotations}) everything needed to rebuild the
 * stage's state after an operator restart: fingerprint, attempt number, and trainer failures before it.
 */
public final class StagePodBuilder {

    public static final String CONTAINER = "trainer";
    public static final List<String> COMMAND = List.of("distill");
    /** {@code distill train}, told where to train: a stage that requests GPUs fails fast when it sees none. */
    public static final List<String> ARGS_GPU = List.of("train", "--device", "gpu");
    public static final List<String> ARGS_CPU = List.of("train", "--device", "cpu");
    public static final long RUN_AS_USER = 1000L;
    /**
     * The port the trainer serves its progress on, declared on the container under
     * {@value #PROGRESS_PORT_NAME}: the operator asks the port the Pod declares, so changing this
     * number never confuses the operator about Pods already running.
     */
    public static final int PROGRESS_PORT = 8090;
    public static final String PROGRESS_PORT_NAME = "progress";

    private StagePodBuilder() {}

    /** A volume of the stage Pod: the claim, where it is mounted, and whether read-only. */
    private record Mount(String name, String claim, String path, boolean readOnly) {}

    /** The volumes a stage's Pod mounts: its own checkpoint volume, its teacher's, the dataset's and the pretrained model's claims. */
    private static List<Mount> mounts(DistillationChain chain, StageSpec stage) {
        DistillationChainSpec spec = chain.getSpec();
        String chainName = chain.getMetadata().getName();
        List<Mount> mounts = new ArrayList<>();
        mounts.add(new Mount("output", ObjectNames.volume(chainName, stage.getName()), StageJobFactory.POD_OUTPUT_DIR, false));
        if (stage.getTeacher() != null) {
            mounts.add(new Mount("teacher", ObjectNames.volume(chainName, stage.getTeacher()), StageJobFactory.POD_TEACHER_DIR, true));
        }
        if (spec.getDataset().getVolume() != null) {
            mounts.add(new Mount("data", spec.getDataset().getVolume().getClaimName(), StageJobFactory.POD_DATA_DIR, true));
        }
        if (stage.getPretrained() != null) {
            mounts.add(new Mount("pretrained", stage.getPretrained().getClaimName(), StageJobFactory.POD_PRETRAINED_DIR, true));
        }
        return mounts;
    }

    /** The claims a Pod of {@code stageName} mounts. */
    public static List<String> claims(DistillationChain chain, String stageName) {
        return mounts(chain, stage(chain, stageName)).stream().map(Mount::claim).toList();
    }

    private static StageSpec stage(DistillationChain chain, String stageName) {
        return chain.getSpec().getStages().stream().filter(s -> s.getName().equals(stageName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named '" + stageName + "'"));
    }

    public static Pod build(DistillationChain chain, String stageName, String fingerprint, Attempt attempt,
                            OperatorSettings.Values settings) {
        return build(chain, stageName, fingerprint, attempt, null, settings);
    }

    /** {@code node}: the node the Pod must start on (where a ReadWriteOnce volume it mounts is in use); null: any. */
    public static Pod build(DistillationChain chain, String stageName, String fingerprint, Attempt attempt, String node,
                            OperatorSettings.Values settings) {
        DistillationChainSpec spec = chain.getSpec();
        String chainName = chain.getMetadata().getName();
        StageSpec stage = stage(chain, stageName);
        TrainerSpec trainer = spec.getTrainer() == null ? new TrainerSpec() : spec.getTrainer();

        Map<String, String> labels = Labels.forStage(chain, stageName, "trainer");
        String queue = chain.getMetadata().getLabels() == null ? null : chain.getMetadata().getLabels().get(Labels.KUEUE_QUEUE_NAME);
        if (queue != null && !queue.isEmpty()) {
            labels.put(Labels.KUEUE_QUEUE_NAME, queue);
        }

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        for (Mount m : mounts(chain, stage)) {
            volume(volumes, mounts, m.name(), m.claim(), m.path(), m.readOnly());
        }
        if (stage.getModel().getTorchscript() != null) {
            volume(volumes, mounts, "model", stage.getModel().getTorchscript().getClaimName(), StageJobFactory.POD_MODEL_DIR, true);
        }

        StageJob job = StageJobFactory.create(spec, chainName, stageName, fingerprint,
                StageJobFactory.Paths.inPod(spec, stage));

        ResourcesSpec resources = trainer.getResources() == null ? new ResourcesSpec() : trainer.getResources();
        boolean gpu = resources.effectiveGpu() > 0;
        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image(trainer, gpu, settings))
                .withCommand(COMMAND)
                .withArgs(gpu ? ARGS_GPU : ARGS_CPU)
                .addNewEnv().withName(StageJob.ENV_VAR).withValue(toJson(job)).endEnv()
                .addNewEnv().withName(StageJob.PROGRESS_PORT_ENV_VAR).withValue(Integer.toString(PROGRESS_PORT)).endEnv()
                .addNewPort().withName(PROGRESS_PORT_NAME).withContainerPort(PROGRESS_PORT).withProtocol("TCP").endPort()
                .withNewResources()
                    .withRequests(requests(resources, settings))
                    .withLimits(limits(resources, settings))
                .endResources()
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withRunAsNonRoot(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .build();

        return new PodBuilder()
                .withNewMetadata()
                    .withName(ObjectNames.pod(chainName, stageName, attempt.number()))
                    .withNamespace(chain.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(StageAnnotations.ofPod(fingerprint, attempt))
                    .withOwnerReferences(StageVolumeBuilder.ownerReference(chain))
                .endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withNodeSelector(trainer.getNodeSelector() == null || trainer.getNodeSelector().isEmpty() ? null : trainer.getNodeSelector())
                    .withTolerations(trainer.getTolerations() == null ? List.of()
                            : trainer.getTolerations().stream().map(TolerationSpec::toToleration).toList())
                    .withPriorityClassName(trainer.getPriorityClassName())
                    .withAffinity(node == null ? null : onNode(node))
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(RUN_AS_USER)
                        .withRunAsGroup(RUN_AS_USER)
                        .withFsGroup(RUN_AS_USER)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withContainers(container)
                    .withVolumes(volumes)
                .endSpec()
                .build();
    }

    /** Required node affinity to one node by name (not a nodeName: the scheduler still checks resources and taints). */
    private static Affinity onNode(String node) {
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node).endMatchField()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
    }

    private static void volume(List<Volume> volumes, List<VolumeMount> mounts, String name, String claim, String path, boolean readOnly) {
        volumes.add(new VolumeBuilder().withName(name)
                .withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(readOnly ? true : null).endPersistentVolumeClaim()
                .build());
        mounts.add(new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build());
    }

    /** The chain's image, else the operator's: its CUDA build for a stage that requests GPUs. */
    static String image(TrainerSpec trainer, boolean gpu, OperatorSettings.Values settings) {
        if (trainer.getImage() != null && !trainer.getImage().isBlank()) {
            return trainer.getImage();
        }
        return gpu ? settings.trainerImageCuda() : settings.trainerImage();
    }

    /** CPU and memory, the chain's or else the operator's defaults: never a BestEffort Pod. */
    private static Map<String, Quantity> requests(ResourcesSpec r, OperatorSettings.Values settings) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        m.put("cpu", r.getCpu() != null ? r.getCpu() : settings.trainerCpu());
        m.put("memory", r.getMemory() != null ? r.getMemory() : settings.trainerMemory());
        return m;
    }

    /** The requests again (request = limit: the Guaranteed class, last to be evicted), and the GPUs. */
    private static Map<String, Quantity> limits(ResourcesSpec r, OperatorSettings.Values settings) {
        Map<String, Quantity> m = requests(r, settings);
        if (r.effectiveGpu() > 0) {
            m.put(settings.gpuResourceName(), new Quantity(Integer.toString(r.effectiveGpu())));
        }
        return m;
    }

    static String toJson(StageJob job) {
        return StageJobCodec.write(job);
    }
}
