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
    public static final List<String> ARGS = List.of("train");
    public static final long RUN_AS_USER = 1000L;

    private StagePodBuilder() {}

    public static Pod build(DistillationChain chain, String stageName, String fingerprint, Attempt attempt,
                            OperatorSettings.Values settings) {
        DistillationChainSpec spec = chain.getSpec();
        String chainName = chain.getMetadata().getName();
        StageSpec stage = spec.getStages().stream().filter(s -> s.getName().equals(stageName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named '" + stageName + "'"));
        TrainerSpec trainer = spec.getTrainer() == null ? new TrainerSpec() : spec.getTrainer();

        Map<String, String> labels = Labels.forStage(chain, stageName, "trainer");
        String queue = chain.getMetadata().getLabels() == null ? null : chain.getMetadata().getLabels().get(Labels.KUEUE_QUEUE_NAME);
        if (queue != null && !queue.isEmpty()) {
            labels.put(Labels.KUEUE_QUEUE_NAME, queue);
        }

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volume(volumes, mounts, "output", ObjectNames.volume(chainName, stageName), StageJobFactory.POD_OUTPUT_DIR, false);
        if (stage.getTeacher() != null) {
            volume(volumes, mounts, "teacher", ObjectNames.volume(chainName, stage.getTeacher()), StageJobFactory.POD_TEACHER_DIR, true);
        }
        if (spec.getDataset().getVolume() != null) {
            volume(volumes, mounts, "data", spec.getDataset().getVolume().getClaimName(), StageJobFactory.POD_DATA_DIR, true);
        }
        if (stage.getPretrained() != null) {
            volume(volumes, mounts, "pretrained", stage.getPretrained().getClaimName(), StageJobFactory.POD_PRETRAINED_DIR, true);
        }

        StageJob job = StageJobFactory.create(spec, chainName, stageName, fingerprint,
                StageJobFactory.Paths.inPod(spec, stage));

        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(trainer.getImage() != null && !trainer.getImage().isBlank() ? trainer.getImage() : settings.trainerImage())
                .withCommand(COMMAND)
                .withArgs(ARGS)
                .addNewEnv().withName(StageJob.ENV_VAR).withValue(toJson(job)).endEnv()
                .withNewResources()
                    .withRequests(requests(trainer.getResources()))
                    .withLimits(limits(trainer.getResources(), settings.gpuResourceName()))
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

    private static void volume(List<Volume> volumes, List<VolumeMount> mounts, String name, String claim, String path, boolean readOnly) {
        volumes.add(new VolumeBuilder().withName(name)
                .withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(readOnly ? true : null).endPersistentVolumeClaim()
                .build());
        mounts.add(new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build());
    }

    private static Map<String, Quantity> requests(ResourcesSpec r) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        if (r != null && r.getCpu() != null) {
            m.put("cpu", r.getCpu());
        }
        if (r != null && r.getMemory() != null) {
            m.put("memory", r.getMemory());
        }
        return m;
    }

    private static Map<String, Quantity> limits(ResourcesSpec r, String gpuResource) {
        Map<String, Quantity> m = requests(r);
        int gpu = r == null ? new ResourcesSpec().effectiveGpu() : r.effectiveGpu();
        if (gpu > 0) {
            m.put(gpuResource, new Quantity(Integer.toString(gpu)));
        }
        return m;
    }

    static String toJson(StageJob job) {
        return StageJobCodec.write(job);
    }
}
