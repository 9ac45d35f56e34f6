package dev.distillation.api.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.distillation.api.ChainFileException;
import dev.distillation.api.ChainYaml;
import dev.distillation.api.job.TrainerRecipe;
import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.PretrainedSpec;
import dev.distillation.api.v1alpha1.Retain;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.v1alpha1.VolumeDataset;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** After an edit, exactly the stages whose fingerprint changed re-run. */
class FingerprintsTest {

    private static final Set<String> ALL = Set.of("teacher", "assistant", "student", "student-direct", "student-alone");

    @Test
    void everyStageHasASha256InTopologicalOrder() {
        Map<String, String> fingerprints = Fingerprints.of(Fixtures.fashionTakd().getSpec());
        assertThat(fingerprints.keySet()).containsExactly("teacher", "assistant", "student", "student-direct", "student-alone");
        assertThat(fingerprints.values()).allSatisfy(f -> assertThat(f).matches("sha256:[0-9a-f]{64}"));
        assertThat(Set.copyOf(fingerprints.values())).as("distinct").hasSize(5);
    }

    /**
     * Pinned: a fingerprint is stored in status and next to each stage's outputs, and compared
     * with the next one computed, possibly by another operator version or on another machine.
     * If this value changes, every stage of every existing chain re-runs after an upgrade: change
     * the content on purpose only (and bump Fingerprints.VERSION).
     */
    @Test
    void stableAcrossRunsAndVersions() {
        assertThat(Fingerprints.of(Fixtures.fashionTakd().getSpec()).get("teacher"))
                .isEqualTo("sha256:2dc7c98efcbbc11ae3b47df998572c6a05e8eac934f494a0c2de1ef7676832b3");
    }

    @Test
    void independentOfKeyOrderInTheFile() throws ChainFileException {
        String a = """
                apiVersion: distillation.dev/v1alpha1
                kind: DistillationChain
                metadata: {name: order}
                spec:
                  dataset: {volume: {claimName: data, path: /x, format: idx}}
                  training: {epochs: 3, alpha: 0.5, optimizer: adam}
                  stages:
                    - {name: t, model: {architecture: plain-cnn, depth: 4, width: 0.5}, training: {seed: 7, temperature: 2}}
                    - {name: s, teacher: t, model: {architecture: plain-cnn, depth: 2}}
                """;
        String b = """
                kind: DistillationChain
                apiVersion: distillation.dev/v1alpha1
                spec:
                  stages:
                    - {training: {temperature: 2.0, seed: 7}, model: {width: 0.5, depth: 4, architecture: plain-cnn}, name: t}
                    - {model: {depth: 2, architecture: plain-cnn}, teacher: t, name: s}
                  training: {optimizer: adam, alpha: 0.5, epochs: 3}
                  dataset: {volume: {format: idx, path: /x, claimName: data}}
                metadata: {name: order}
                """;
        assertThat(Fingerprints.of(ChainYaml.parse("a.yaml", a).getSpec()))
                .isEqualTo(Fingerprints.of(ChainYaml.parse("b.yaml", b).getSpec()));
    }

    /**
     * A validation split changes what every stage trains on: adding one, or changing its size or seed,
     * changes every fingerprint (so no result is reused across splits); spelling out its default seed does not.
     */
    @Test
    void theValidationSplitEntersEveryStagesFingerprint() {
        Map<String, String> none = Fingerprints.of(Fixtures.fashionTakd().getSpec());
        Map<String, String> split = Fingerprints.of(withSplit(new ValidationSplit(5000, null)));
        Map<String, String> defaultSeedSpelledOut = Fingerprints.of(withSplit(new ValidationSplit(5000, 1L)));
        Map<String, String> otherSeed = Fingerprints.of(withSplit(new ValidationSplit(5000, 2L)));
        Map<String, String> otherSize = Fingerprints.of(withSplit(new ValidationSplit(4000, null)));

        assertThat(changed(none, split)).isEqualTo(ALL);
        assertThat(changed(split, otherSeed)).isEqualTo(ALL);
        assertThat(changed(split, otherSize)).isEqualTo(ALL);
        assertThat(defaultSeedSpelledOut).isEqualTo(split);
    }

    private static DistillationChainSpec withSplit(ValidationSplit split) {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();
        spec.getDataset().setValidation(split);
        return spec;
    }

    @Test
    void spellingOutADefaultChangesNothing() {
        DistillationChain explicit = Fixtures.fashionTakd();
        explicit.getSpec().getStages().forEach(s -> s.getModel().setWidth(1.0));
        explicit.getSpec().setTraining(TrainingSpec.DEFAULTS.copy());

        DistillationChain implicit = Fixtures.fashionTakd();
        implicit.getSpec().setTraining(null); // the fixture's chain-level values are the defaults

        assertThat(Fingerprints.of(explicit.getSpec())).isEqualTo(Fingerprints.of(implicit.getSpec()))
                .isEqualTo(Fingerprints.of(Fixtures.fashionTakd().getSpec()));

        DistillationChain volume = Fixtures.cifar10Resnet();
        DistillationChain rootPaths = Fixtures.cifar10Resnet();
        rootPaths.getSpec().getDataset().getVolume().setPath("/");
        rootPaths.getSpec().getStages().get(0).getPretrained().setPath("/");
        volume.getSpec().getDataset().getVolume().setPath(null);
        volume.getSpec().getStages().get(0).getPretrained().setPath(null);
        assertThat(Fingerprints.of(volume.getSpec())).isEqualTo(Fingerprints.of(rootPaths.getSpec()));
    }

    // fashion-takd: teacher -> assistant -> student (overrides epochs), teacher -> student-direct, student-alone
    static Stream<Arguments> edits() {
        return Stream.of(
                edit("student's epochs", s -> stage(s, "student").getTraining().setEpochs(41), "student"),
                edit("student-alone's seed", s -> stage(s, "student-alone").setTraining(training(t -> t.setSeed(2L))), "student-alone"),
                edit("student's depth", s -> stage(s, "student").getModel().setDepth(4), "student"),
                edit("assistant's temperature", s -> stage(s, "assistant").setTraining(training(t -> t.setTemperature(2.0))),
                        "assistant", "student"),
                edit("teacher's epochs", s -> stage(s, "teacher").setTraining(training(t -> t.setEpochs(60))),
                        "teacher", "assistant", "student", "student-direct"),
                edit("teacher's depth", s -> stage(s, "teacher").getModel().setDepth(8),
                        "teacher", "assistant", "student", "student-direct"),
                edit("teacher's width", s -> stage(s, "teacher").getModel().setWidth(2.0),
                        "teacher", "assistant", "student", "student-direct"),
                edit("teacher loads a pretrained checkpoint", s -> stage(s, "teacher").setPretrained(pretrained("weights", "/t")),
                        "teacher", "assistant", "student", "student-direct"),
                edit("assistant drops its teacher", s -> stage(s, "assistant").setTeacher(null),
                        "assistant", "student"),
                edit("chain-level temperature", s -> s.getTraining().setTemperature(3.0), ALL.toArray(String[]::new)),
                edit("chain-level epochs (student overrides them, but learns from a changed assistant)",
                        s -> s.getTraining().setEpochs(20), ALL.toArray(String[]::new)),
                edit("dataset", s -> {
                    s.getDataset().setBuiltin(null);
                    s.getDataset().setVolume(new VolumeDataset());
                    s.getDataset().getVolume().setClaimName("fashion");
                    s.getDataset().getVolume().setFormat(DatasetFormat.IDX);
                }, ALL.toArray(String[]::new)),

                // pod-level and chain-control settings change where and when stages run, not what they learn
                edit("trainer image", s -> s.getTrainer().setImage("distillation/trainer:0.2.0")),
                edit("gpu count", s -> s.getTrainer().getResources().setGpu(0)),
                edit("cpu and memory", s -> {
                    s.getTrainer().getResources().setCpu(new Quantity("8"));
                    s.getTrainer().getResources().setMemory(new Quantity("16Gi"));
                }),
                edit("node selector", s -> s.getTrainer().setNodeSelector(Map.of("pool", "a100"))),
                edit("tolerations", s -> s.getTrainer().setTolerations(List.of(exists()))),
                edit("priority class", s -> s.getTrainer().setPriorityClassName("batch-high")),
                edit("no trainer section", s -> s.setTrainer(null)),
                edit("storage size, class and retain", s -> {
                    s.getStorage().setSize(new Quantity("20Gi"));
                    s.getStorage().setStorageClassName("fast");
                    s.getStorage().setRetain(Retain.NONE);
                }),
                edit("parallelism, backoffLimit, suspend", s -> {
                    s.setParallelism(5);
                    s.setBackoffLimit(0);
                    s.setSuspend(true);
                }),
                edit("order of independent stages", s -> {
                    var alone = s.getStages().remove(4);
                    s.getStages().add(0, alone);
                }));
    }

    @ParameterizedTest(name = "{0} -> re-run {1}")
    @MethodSource("edits")
    void anEditChangesExactlyTheEditedStageAndItsDescendants(Consumer<DistillationChainSpec> edit, Set<String> changed) {
        DistillationChainSpec before = Fixtures.fashionTakd().getSpec();
        DistillationChainSpec after = Fixtures.fashionTakd().getSpec();
        edit.accept(after);
        assertThat(changed(Fingerprints.of(before), Fingerprints.of(after))).containsExactlyInAnyOrderElementsOf(changed);
    }

    @Test
    void descendantsOfAChangedStageAlwaysChange() {
        DistillationChainSpec before = Fixtures.fashionTakd().getSpec();
        StageGraph graph = StageGraph.of(before);
        for (String name : ALL) {
            DistillationChainSpec after = Fixtures.fashionTakd().getSpec();
            stage(after, name).getModel().setWidth(0.5);
            Set<String> expected = new HashSet<>(graph.descendants(name));
            expected.add(name);
            assertThat(changed(Fingerprints.of(before), Fingerprints.of(after))).as(name).isEqualTo(expected);
        }
    }

    static Stream<Arguments> recipeBumps() {
        return Stream.of(
                Arguments.of(TrainerRecipe.DISTILLATION, Set.of("assistant", "student", "student-direct")),
                Arguments.of(TrainerRecipe.TRAINING, ALL),
                Arguments.of(TrainerRecipe.PLAIN_CNN, ALL),
                Arguments.of(TrainerRecipe.RESNET, Set.of()),
                Arguments.of(TrainerRecipe.PRETRAINED, Set.of()));
    }

    /** The fashion chain: plain-cnn stages, all trained, three of them distilled. */
    @ParameterizedTest(name = "{0} bumped -> re-run {1}")
    @MethodSource("recipeBumps")
    void aTrainerChangeRetrainsWhatItAffectsAndNothingElse(TrainerRecipe bumped, Set<String> changed) {
        DistillationChainSpec spec = Fixtures.fashionTakd().getSpec();

        Map<String, String> after = Fingerprints.of(spec, part -> part == bumped ? part.version() + 1 : part.version());

        assertThat(changed(Fingerprints.of(spec), after)).containsExactlyInAnyOrderElementsOf(changed);
    }

    @Test
    void aPretrainedStageFollowsThePretrainedRecipeNotTraining() {
        DistillationChainSpec spec = Fixtures.cifar10Resnet().getSpec();

        Map<String, String> trainingBumped = Fingerprints.of(spec, p -> p == TrainerRecipe.TRAINING ? 2 : p.version());
        Map<String, String> pretrainedBumped = Fingerprints.of(spec, p -> p == TrainerRecipe.PRETRAINED ? 2 : p.version());

        String pretrained = spec.getStages().stream().filter(s -> s.getPretrained() != null).findFirst().orElseThrow().getName();
        assertThat(changed(Fingerprints.of(spec), trainingBumped)).doesNotContain(pretrained).isNotEmpty();
        assertThat(changed(Fingerprints.of(spec), pretrainedBumped)).as("the pretrained stage and those that learn from it")
                .contains(pretrained).hasSize(spec.getStages().size());
    }

    @Test
    void shortForm() {
        assertThat(Fingerprints.shortForm("sha256:0123456789abcdef0123")).isEqualTo("0123456789ab");
        assertThat(Fingerprints.shortForm("abc")).isEqualTo("abc");
    }

    static TolerationSpec exists() {
        TolerationSpec t = new TolerationSpec();
        t.setOperator(TolerationOperator.EXISTS);
        return t;
    }

    static Set<String> changed(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).collect(Collectors.toSet());
    }

    static Arguments edit(String name, Consumer<DistillationChainSpec> edit, String... changed) {
        return Arguments.of(Named.of(name, edit), Set.of(changed));
    }

    static StageSpec stage(DistillationChainSpec spec, String name) {
        return spec.getStages().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    static TrainingSpec training(Consumer<TrainingSpec> set) {
        TrainingSpec t = new TrainingSpec();
        set.accept(t);
        return t;
    }

    static PretrainedSpec pretrained(String claim, String path) {
        PretrainedSpec p = new PretrainedSpec();
        p.setClaimName(claim);
        p.setPath(path);
        return p;
    }
}
