package dev.distillation.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobCodec;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.TaintEffect;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainerSpec;
import dev.distillation.operator.TestChains;
import dev.distillation.operator.config.OperatorSettings;
import dev.distillation.operator.managed.Attempt;
import dev.distillation.operator.managed.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StagePodBuilderTest {

    static final String FP = "sha256:abc";

    static Pod build(DistillationChain chain, String stage) {
        return StagePodBuilder.build(chain, stage, FP, new Attempt(3, 2, 1), OperatorSettings.Values.DEFAULTS);
    }

    static Map<String, VolumeMount> mounts(Pod pod) {
        return pod.getSpec().getContainers().get(0).getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
    }

    static String claimOf(Pod pod, VolumeMount mount) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .map(Volume::getPersistentVolumeClaim).findFirst().orElseThrow().getClaimName();
    }

    @Test
    void nameLabelsAnnotationsAndOwner() {
        DistillationChain chain = TestChains.paper();
        Pod pod = build(chain, "student");

        assertThat(pod.getMetadata().getName()).isEqualTo("cifar10-plain-cnn-student-a3");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(pod.getMetadata().getLabels()).containsEntry("distillation.dev/chain", "cifar10-plain-cnn")
                .containsEntry("distillation.dev/stage", "student")
                .containsEntry("app.kubernetes.io/managed-by", "distillation-operator")
                .containsEntry("app.kubernetes.io/name", "distillation-trainer")
                .containsEntry("app.kubernetes.io/instance", "cifar10-plain-cnn")
                .doesNotContainKey(Labels.KUEUE_QUEUE_NAME);
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("distillation.dev/fingerprint", FP)
                .containsEntry("distillation.dev/attempt", "3")
                .containsEntry("distillation.dev/fingerprint-attempt", "2")
                .containsEntry("distillation.dev/failures-before", "1");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("DistillationChain");
            assertThat(ref.getApiVersion()).isEqualTo("distillation.dev/v1alpha1");
            assertThat(ref.getName()).isEqualTo("cifar10-plain-cnn");
            assertThat(ref.getUid()).isEqualTo("uid-cifar10-plain-cnn");
            assertThat(ref.getController()).isTrue();
        });
    }

    @Test
    void kueueQueueLabelOfTheChainIsCopiedToThePod() {
        DistillationChain chain = TestChains.paper();
        chain.getMetadata().setLabels(Map.of(Labels.KUEUE_QUEUE_NAME, "gpu-queue", "team", "vision"));

        Pod pod = build(chain, "teacher");

        assertThat(pod.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue")
                .doesNotContainKey("team");
    }

    @Test
    void studentMountsTeacherReadOnlyOwnVolumeAndDatasetVolume() {
        Pod pod = build(TestChains.paper(), "student");
        Map<String, VolumeMount> mounts = mounts(pod);

        assertThat(mounts).containsOnlyKeys("/teacher", "/output", "/data");
        assertThat(mounts.get("/teacher").getReadOnly()).isTrue();
        assertThat(claimOf(pod, mounts.get("/teacher"))).isEqualTo("cifar10-plain-cnn-assistant");
        assertThat(mounts.get("/output").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(claimOf(pod, mounts.get("/output"))).isEqualTo("cifar10-plain-cnn-student");
        assertThat(mounts.get("/data").getReadOnly()).isTrue();
        assertThat(claimOf(pod, mounts.get("/data"))).isEqualTo("cifar10");
    }

    @Test
    void stageWithoutTeacherAndBuiltinDatasetMountsOnlyItsOutput() {
        Pod pod = build(TestChains.example("quickstart"), TestChains.example("quickstart").getSpec().getStages().get(0).getName());

        assertThat(mounts(pod)).containsOnlyKeys("/output");
    }

    @Test
    void pretrainedCheckpointIsMountedReadOnly() {
        DistillationChain chain = TestChains.example("pretrained-teacher");
        String stage = chain.getSpec().getStages().stream().filter(s -> s.getPretrained() != null).findFirst().orElseThrow().getName();

        Pod pod = build(chain, stage);

        VolumeMount m = mounts(pod).get("/pretrained");
        assertThat(m.getReadOnly()).isTrue();
        assertThat(claimOf(pod, m)).isEqualTo(chain.getSpec().getStages().stream()
                .filter(s -> s.getName().equals(stage)).findFirst().orElseThrow().getPretrained().getClaimName());
    }

    @Test
    void aTorchScriptFileIsMountedReadOnlyAndTheJobNamesItThere() throws Exception {
        DistillationChain chain = TestChains.example("torchscript-teacher");

        Pod pod = build(chain, "teacher");

        VolumeMount m = mounts(pod).get("/model");
        assertThat(m.getReadOnly()).isTrue();
        assertThat(claimOf(pod, m)).isEqualTo("models");
        String json = pod.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(StageJob.ENV_VAR))
                .findFirst().orElseThrow().getValue();
        StageJob job = StageJobCodec.read(json);
        assertThat(job.model().getTorchscript()).isEqualTo("/model/nets/teacher.pt");
        assertThat(job.model().getInput().getMean()).containsExactly(0.286);
        assertThat(job.model().getClasses()).isEqualTo(10);
        assertThat(mounts(build(chain, "student"))).doesNotContainKey("/model");
    }

    @Test
    void containerRunsDistillTrainWithTheStageJob() throws Exception {
        DistillationChain chain = TestChains.paper();
        Container c = build(chain, "student").getSpec().getContainers().get(0);

        assertThat(c.getImage()).as("the paper's chain requests a GPU").isEqualTo("distillation-trainer:0.1.0-SNAPSHOT-cuda");
        assertThat(c.getCommand()).containsExactly("distill");
        assertThat(c.getArgs()).containsExactly("train", "--device", "gpu");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        String json = c.getEnv().stream().filter(e -> e.getName().equals(StageJob.ENV_VAR)).findFirst().orElseThrow().getValue();
        StageJob job = StageJobCodec.read(json);
        assertThat(job.chain()).isEqualTo("cifar10-plain-cnn");
        assertThat(job.stage()).isEqualTo("student");
        assertThat(job.fingerprint()).isEqualTo(FP);
        assertThat(job.teacherDir()).isEqualTo("/teacher");
        assertThat(job.outputDir()).isEqualTo("/output");
        assertThat(job.dataset().path()).isEqualTo("/data/cifar-10-batches-bin");
        assertThat(job.training().getEpochs()).isEqualTo(150);
    }

    @Test
    void aPodPlacedOnANodeRequiresItByNameAndOtherwiseHasNoAffinity() {
        Pod placed = StagePodBuilder.build(TestChains.paper(), "student", FP, new Attempt(1, 1, 0), "gpu-7", OperatorSettings.Values.DEFAULTS);
        var term = placed.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(term).singleElement().satisfies(t -> assertThat(t.getMatchFields()).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo("metadata.name");
            assertThat(f.getOperator()).isEqualTo("In");
            assertThat(f.getValues()).containsExactly("gpu-7");
        }));
        assertThat(build(TestChains.paper(), "student").getSpec().getAffinity()).isNull();
    }

    @Test
    void theClaimsAStagePodMountsAreTheVolumesItDeclares() {
        DistillationChain chain = TestChains.paper();
        assertThat(StagePodBuilder.claims(chain, "student")).containsExactlyElementsOf(build(chain, "student").getSpec().getVolumes().stream()
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList())
                .containsExactly("cifar10-plain-cnn-student", "cifar10-plain-cnn-assistant", "cifar10");
    }

    @Test
    void theTrainerServesItsProgressOnTheDeclaredPortAndGetsNoCredentials() {
        Pod pod = build(TestChains.paper(), "student");
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("progress");
            assertThat(p.getContainerPort()).isEqualTo(8090);
        });
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DISTILL_PROGRESS_PORT")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("8090"));
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    static final OperatorSettings.Values SETTINGS = OperatorSettings.Values.DEFAULTS.withImages("reg/trainer:1", "reg/trainer:1-cuda");

    static Container container(DistillationChain chain, OperatorSettings.Values settings) {
        return StagePodBuilder.build(chain, "teacher", FP, new Attempt(1, 1, 0), settings).getSpec().getContainers().get(0);
    }

    /** Which image and device a stage gets: a stage that requests GPUs runs the CUDA build and is told to train on a GPU. */
    @ParameterizedTest(name = "gpu={0} image={1} -> {2} --device {3}")
    @CsvSource(nullValues = "-", value = {
            "1, -,                          reg/trainer:1-cuda,         gpu",
            "2, -,                          reg/trainer:1-cuda,         gpu",
            "0, -,                          reg/trainer:1,              cpu",
            "1, registry.local/trainer:dev, registry.local/trainer:dev, gpu",
            "0, registry.local/trainer:dev, registry.local/trainer:dev, cpu",
    })
    void imageAndDevice(int gpu, String specImage, String image, String device) {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().getTrainer().setImage(specImage);
        chain.getSpec().getTrainer().getResources().setGpu(gpu);

        Container c = container(chain, SETTINGS);

        assertThat(c.getImage()).isEqualTo(image);
        assertThat(c.getCommand()).containsExactly("distill");
        assertThat(c.getArgs()).containsExactly("train", "--device", device);
    }

    @Test
    void aChainWithoutTrainerSettingsRequestsOneGpuOnTheCudaImage() {
        DistillationChain chain = TestChains.paper();
        chain.getSpec().setTrainer(null);

        Container c = container(chain, SETTINGS);

        assertThat(c.getImage()).isEqualTo("reg/trainer:1-cuda");
        assertThat(c.getArgs()).containsExactly("train", "--device", "gpu");
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("4Gi"));
        assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
    }

    /** Requests equal limits, from the chain or else the operator's defaults: the Pod is Guaranteed, never BestEffort. */
    @ParameterizedTest(name = "gpu={0} cpu={1} memory={2} resource={3}")
    @CsvSource(nullValues = "-", value = {
            "1, 4,  8Gi,  nvidia.com/gpu",
            "2, -,  -,    amd.com/gpu",
            "0, 2,  4Gi,  nvidia.com/gpu",
            "0, -,  -,    nvidia.com/gpu",
            "0, 500m, -,  nvidia.com/gpu",
    })
    void resources(int gpu, String cpu, String memory, String gpuResource) {
        DistillationChain chain = TestChains.paper();
        ResourcesSpec r = new ResourcesSpec();
        r.setGpu(gpu);
        r.setCpu(cpu == null ? null : new Quantity(cpu));
        r.setMemory(memory == null ? null : new Quantity(memory));
        chain.getSpec().getTrainer().setResources(r);
        OperatorSettings.Values settings = new OperatorSettings.Values("img", "img-cuda", gpuResource, new Quantity("3"), new Quantity("5Gi"));

        Container c = container(chain, settings);

        Map<String, Quantity> limits = c.getResources().getLimits();
        Map<String, Quantity> requests = c.getResources().getRequests();
        if (gpu > 0) {
            assertThat(limits).containsEntry(gpuResource, new Quantity(Integer.toString(gpu)));
        } else {
            assertThat(limits).doesNotContainKey(gpuResource);
        }
        assertThat(requests).doesNotContainKey(gpuResource);
        Quantity expectedCpu = new Quantity(cpu == null ? "3" : cpu);
        Quantity expectedMemory = new Quantity(memory == null ? "5Gi" : memory);
        assertThat(requests).containsEntry("cpu", expectedCpu).containsEntry("memory", expectedMemory);
        assertThat(limits).containsEntry("cpu", expectedCpu).containsEntry("memory", expectedMemory);
    }

    @Test
    void schedulingSettingsAreCopied() {
        DistillationChain chain = TestChains.paper();
        TrainerSpec t = chain.getSpec().getTrainer();
        t.setNodeSelector(Map.of("gpu", "a100"));
        TolerationSpec gpuTaint = new TolerationSpec();
        gpuTaint.setKey("nvidia.com/gpu");
        gpuTaint.setOperator(TolerationOperator.EXISTS);
        gpuTaint.setEffect(TaintEffect.NO_SCHEDULE);
        t.setTolerations(List.of(gpuTaint));
        t.setPriorityClassName("training");

        Pod pod = build(chain, "teacher");

        assertThat(pod.getSpec().getNodeSelector()).containsExactlyEntriesOf(Map.of("gpu", "a100"));
        assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(tol -> {
            assertThat(tol.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(tol.getOperator()).isEqualTo("Exists");
            assertThat(tol.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("training");
    }

    @Test
    void restrictedSecurityContext() {
        Pod pod = build(TestChains.paper(), "teacher");

        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var sc = pod.getSpec().getContainers().get(0).getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }
}
