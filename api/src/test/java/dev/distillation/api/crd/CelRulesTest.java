package dev.distillation.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.AccessMode;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StorageSpec;
import dev.distillation.api.v1alpha1.TaintEffect;
import dev.distillation.api.v1alpha1.TolerationOperator;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainerSpec;
import dev.distillation.api.v1alpha1.VolumeDataset;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.KubernetesSyntax;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles the CRD's CEL rules offline and evaluates them on example chains, with CEL's standard
 * macros, two-variable comprehensions and the parts of the API server's Kubernetes libraries the
 * rules use: the list library's {@code indexOf} and the quantity library's {@code isQuantity},
 * {@code quantity} and {@code isGreaterThan} (parsed here with {@link KubernetesSyntax} and fabric8's
 * {@link Quantity}; the e2e tests check the real library). Rules are typed against {@code self: dyn},
 * so this catches syntax errors, unknown functions and wrong logic, not the API server's cost
 * estimate (the e2e tests apply the CRD to a real API server for that). Each rejected chain is also
 * rejected by ChainValidator: the two layers agree.
 */
class CelRulesTest {

    private static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            // two-variable comprehensions, all(i, x, ...) / exists(i, x, ...): Kubernetes 1.33+
            .addCompilerLibraries(CelExtensions.comprehensions())
            .addRuntimeLibraries(CelExtensions.comprehensions())
            // k8s.io/apiserver/pkg/cel/library/lists.go: <list(T)>.indexOf(T) -> int
            .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("indexOf",
                    CelOverloadDecl.newMemberOverload("list_indexOf", SimpleType.INT,
                            ListType.create(TypeParamType.create("T")), TypeParamType.create("T"))))
            .addFunctionBindings(CelFunctionBinding.from("list_indexOf", List.class, Object.class,
                    (list, item) -> (long) list.indexOf(item)))
            // k8s.io/apiserver/pkg/cel/library/quantity.go
            .addFunctionDeclarations(
                    CelFunctionDecl.newFunctionDeclaration("isQuantity",
                            CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("quantity",
                            CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
                    CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
                            CelOverloadDecl.newMemberOverload("quantity_is_greater_than", SimpleType.BOOL, QUANTITY, QUANTITY)))
            .addFunctionBindings(
                    CelFunctionBinding.from("is_quantity_string", String.class, KubernetesSyntax::isQuantity),
                    CelFunctionBinding.from("string_to_quantity", String.class, text -> {
                        if (!KubernetesSyntax.isQuantity(text)) {
                            throw new IllegalArgumentException("quantities must match the regular expression");
                        }
                        return Quantity.getAmountInBytes(new Quantity(text));
                    }),
                    CelFunctionBinding.from("quantity_is_greater_than", BigDecimal.class, BigDecimal.class,
                            (a, b) -> a.compareTo(b) > 0))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private static JsonNode root;

    @BeforeAll
    static void generate() throws IOException {
        root = new YAMLMapper().readTree(CrdGeneration.generate(Files.createTempDirectory("crd")).toFile())
                .at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @Test
    void everyRuleCompiles() throws CelValidationException {
        List<String> rules = new ArrayList<>();
        collect(root, rules);
        assertThat(rules).hasSize(32);
        for (String rule : rules) {
            assertThat(CEL.compile(rule).getAst().getResultType()).as(rule).isEqualTo(SimpleType.BOOL);
        }
    }

    @Test
    void exampleChainsPassEveryRule() throws Exception {
        assertThat(failedMessages(Fixtures.fashionTakd())).isEmpty();
        assertThat(failedMessages(Fixtures.cifar10Resnet())).isEmpty();
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("duplicate stage name", c -> c.getSpec().getStages().get(4).setName("student"), "stage names must be unique"),
                reject("unknown teacher", c -> c.getSpec().getStages().get(4).setTeacher("nobody"),
                        "every stage's teacher must name a stage of this chain",
                        "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)"),
                reject("teacher listed later", c -> c.getSpec().getStages().get(1).setTeacher("student"),
                        "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)"),
                reject("own teacher", c -> c.getSpec().getStages().get(4).setTeacher("student-alone"),
                        "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)"),
                reject("both dataset sources", c -> c.getSpec().getDataset().setVolume(volume()),
                        "dataset needs exactly one source: either 'builtin' or 'volume'"),
                reject("no dataset source", c -> c.getSpec().getDataset().setBuiltin(null),
                        "dataset needs exactly one source: either 'builtin' or 'volume'"),
                reject("plain-cnn depth 3", c -> c.getSpec().getStages().get(2).getModel().setDepth(3),
                        "plain-cnn depth must be one of 2, 4, 6, 8, 10"),
                reject("resnet depth 10", c -> resnet(c, 10), "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...)"),
                reject("resnet depth 2", c -> resnet(c, 2), "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...)"),
                reject("resnet depth 116", c -> resnet(c, 116), "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...)"),
                reject("torchscript without input", c -> Fixtures.torchscript(c, 0).setInput(null), ModelSpec.TORCHSCRIPT_DECLARATION_MESSAGE),
                reject("torchscript with a depth", c -> Fixtures.torchscript(c, 0).setDepth(4), ModelSpec.BUILTIN_ONLY_MESSAGE),
                reject("plain-cnn with classes", c -> c.getSpec().getStages().get(2).getModel().setClasses(10),
                        ModelSpec.TORCHSCRIPT_ONLY_MESSAGE),
                reject("plain-cnn without depth", c -> c.getSpec().getStages().get(2).getModel().setDepth(null),
                        ModelSpec.DEPTH_REQUIRED_MESSAGE),
                reject("torchscript with neither file nor pretrained", c -> Fixtures.torchscript(c, 0).setTorchscript(null),
                        StageSpec.TORCHSCRIPT_SOURCE_MESSAGE),
                reject("torchscript mean without std", c -> Fixtures.torchscript(c, 0).getInput().setMean(List.of(0.5)),
                        InputSpec.MEAN_STD_MESSAGE),
                reject("torchscript mean and std per channel", c -> {
                    Fixtures.torchscript(c, 0).getInput().setMean(List.of(0.5, 0.5));
                    c.getSpec().getStages().get(0).getModel().getInput().setStd(List.of(0.0));
                }, InputSpec.MEAN_SIZE_MESSAGE, InputSpec.STD_POSITIVE_MESSAGE),
                reject("chain name of 37 characters", c -> c.getMetadata().setName("a".repeat(37)),
                        "metadata.name must be at most 36 characters, so that the names of its stage Pods and volumes stay valid"),
                reject("dotted chain name", c -> c.getMetadata().setName("fashion.takd"),
                        "metadata.name must be a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit): "
                                + "it is part of every stage's Pod and volume name"),
                // values the API server checks only on the stage's Pod or volume
                reject("cpu that is no quantity", c -> resources(c).setCpu(new Quantity("4 cores")), ResourcesSpec.CPU_MESSAGE),
                reject("negative memory", c -> resources(c).setMemory(new Quantity("-1Gi")), ResourcesSpec.MEMORY_MESSAGE),
                reject("zero memory", c -> resources(c).setMemory(new Quantity("0")), ResourcesSpec.MEMORY_MESSAGE),
                reject("volume size in a unit Kubernetes does not know", c -> c.getSpec().getStorage().setSize(new Quantity("2GB")),
                        StorageSpec.SIZE_MESSAGE),
                reject("checkpoint volumes only ReadOnlyMany", c -> c.getSpec().getStorage().setAccessModes(List.of(AccessMode.READ_ONLY_MANY)),
                        StorageSpec.ACCESS_MODES_MESSAGE),
                reject("storage class with an underscore", c -> c.getSpec().getStorage().setStorageClassName("fast_ssd"),
                        StorageSpec.STORAGE_CLASS_MESSAGE),
                reject("node selector key with a space", c -> c.getSpec().getTrainer().setNodeSelector(Map.of("gpu type", "a100")),
                        TrainerSpec.NODE_SELECTOR_KEY_MESSAGE),
                reject("node selector value of 64 characters", c -> c.getSpec().getTrainer().setNodeSelector(Map.of("gpu", "a".repeat(64))),
                        TrainerSpec.NODE_SELECTOR_VALUE_MESSAGE),
                reject("toleration Exists with a value", c -> toleration(c, "nvidia.com/gpu", TolerationOperator.EXISTS, "yes", null, null),
                        TolerationSpec.EXISTS_VALUE_MESSAGE),
                reject("toleration without key, operator Equal", c -> toleration(c, null, TolerationOperator.EQUAL, "x", null, null),
                        TolerationSpec.EMPTY_KEY_MESSAGE),
                reject("tolerationSeconds with effect NoSchedule", c -> toleration(c, "gpu", null, "x", TaintEffect.NO_SCHEDULE, 60L),
                        TolerationSpec.SECONDS_MESSAGE),
                reject("toleration key with two slashes", c -> toleration(c, "a/b/c", TolerationOperator.EXISTS, null, null, null),
                        TolerationSpec.KEY_MESSAGE),
                reject("image with a space", c -> c.getSpec().getTrainer().setImage("registry.example.com/trainer:0.1 beta"),
                        TrainerSpec.IMAGE_MESSAGE),
                reject("image with an upper-case repository", c -> c.getSpec().getTrainer().setImage("registry.example.com/Trainer"),
                        TrainerSpec.IMAGE_MESSAGE),
                reject("priority class with an underscore", c -> c.getSpec().getTrainer().setPriorityClassName("batch_low"),
                        TrainerSpec.PRIORITY_CLASS_MESSAGE));
    }

    static ResourcesSpec resources(DistillationChain chain) {
        return chain.getSpec().getTrainer().getResources();
    }

    static void toleration(DistillationChain chain, String key, TolerationOperator operator, String value, TaintEffect effect, Long seconds) {
        TolerationSpec t = new TolerationSpec();
        t.setKey(key);
        t.setOperator(operator);
        t.setValue(value);
        t.setEffect(effect);
        t.setTolerationSeconds(seconds);
        chain.getSpec().getTrainer().setTolerations(List.of(t));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(Named.of("a torchscript teacher with its normalisation", (Consumer<DistillationChain>) c -> {
                    Fixtures.torchscript(c, 0).getInput().setMean(List.of(0.286));
                    c.getSpec().getStages().get(0).getModel().getInput().setStd(List.of(0.353));
                })),
                Arguments.of(Named.of("cpu as an integer", (Consumer<DistillationChain>) c -> resources(c).setCpu(new Quantity("2")))),
                Arguments.of(Named.of("cpu in millicores", (Consumer<DistillationChain>) c -> resources(c).setCpu(new Quantity("500m")))),
                Arguments.of(Named.of("memory with an exponent", (Consumer<DistillationChain>) c -> resources(c).setMemory(new Quantity("8e9")))),
                Arguments.of(Named.of("tolerate everything", (Consumer<DistillationChain>) c ->
                        toleration(c, null, TolerationOperator.EXISTS, null, null, null))),
                Arguments.of(Named.of("NoExecute for a while", (Consumer<DistillationChain>) c ->
                        toleration(c, "node.kubernetes.io/unreachable", TolerationOperator.EXISTS, null, TaintEffect.NO_EXECUTE, 300L))),
                Arguments.of(Named.of("image by digest on a registry with a port", (Consumer<DistillationChain>) c -> c.getSpec().getTrainer()
                        .setImage("localhost:5000/ml/distillation-trainer:0.1.0-cuda@sha256:" + "a".repeat(64)))),
                Arguments.of(Named.of("empty node selector value", (Consumer<DistillationChain>) c ->
                        c.getSpec().getTrainer().setNodeSelector(Map.of("example.com/gpu", "")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void validValuesPassEveryRuleAndTheValidator(Consumer<DistillationChain> edit) throws Exception {
        DistillationChain chain = Fixtures.fashionTakd();
        edit.accept(chain);
        assertThat(failedMessages(chain)).isEmpty();
        assertThat(ChainValidator.validate(chain)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void invalidChainsFailExactlyTheirRulesAndTheValidator(Consumer<DistillationChain> edit, List<String> messages) throws Exception {
        DistillationChain chain = Fixtures.fashionTakd();
        edit.accept(chain);
        assertThat(failedMessages(chain)).containsExactlyInAnyOrderElementsOf(messages);
        assertThat(ChainValidator.validate(chain)).as("the validator agrees").isNotEmpty();
    }

    @Test
    void depthRulesAcceptExactlyTheDepthsTheModelSupports() throws Exception {
        JsonNode model = root.at("/properties/spec/properties/stages/items/properties/model");
        for (Architecture architecture : Architecture.values()) {
            for (long depth = 0; depth <= 120; depth++) {
                List<String> failed = new ArrayList<>();
                check(model, Map.of("architecture", architecture.value(), "depth", depth), failed);
                assertThat(failed.isEmpty()).as("%s depth %d", architecture, depth)
                        .isEqualTo(architecture.supportsDepth((int) depth));
            }
        }
    }

    /** Messages of the rules that evaluate to false, each rule evaluated where the CRD places it. */
    static List<String> failedMessages(DistillationChain chain) throws Exception {
        List<String> failed = new ArrayList<>();
        walk(root, JSON.convertValue(chain, Map.class), failed);
        return failed;
    }

    /** Evaluates the rules of {@code schema} on {@code self}, then those of its properties, items and map values. */
    private static void walk(JsonNode schema, Object self, List<String> failed) throws Exception {
        if (self == null) {
            return;
        }
        check(schema, self, failed);
        if (self instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                JsonNode property = schema.path("properties").path(String.valueOf(e.getKey()));
                walk(property.isMissingNode() ? schema.path("additionalProperties") : property, e.getValue(), failed);
            }
        } else if (self instanceof List<?> list) {
            for (Object item : list) {
                walk(schema.path("items"), item, failed);
            }
        }
    }

    private static void check(JsonNode schema, Object self, List<String> failed) throws CelValidationException, CelEvaluationException {
        for (JsonNode validation : schema.path("x-kubernetes-validations")) {
            Object result;
            try {
                result = program(validation.get("rule").asText()).eval(Map.of("self", self));
            } catch (CelEvaluationException e) {
                result = e; // the API server reports a rule that errs as failed
            }
            if (!Boolean.TRUE.equals(result)) {
                failed.add(validation.get("message").asText());
            }
        }
    }

    private static final Map<String, CelRuntime.Program> PROGRAMS = new HashMap<>();

    private static CelRuntime.Program program(String rule) throws CelValidationException, CelEvaluationException {
        CelRuntime.Program program = PROGRAMS.get(rule);
        if (program == null) {
            program = CEL.createProgram(CEL.compile(rule).getAst());
            PROGRAMS.put(rule, program);
        }
        return program;
    }

    private static void collect(JsonNode node, List<String> rules) {
        if (node.isObject()) {
            node.path("x-kubernetes-validations").forEach(v -> rules.add(v.get("rule").asText()));
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("x-kubernetes-validations")) {
                    collect(e.getValue(), rules);
                }
            });
        }
    }

    static Arguments reject(String name, Consumer<DistillationChain> edit, String... messages) {
        return Arguments.of(Named.of(name, edit), List.of(messages));
    }

    static void resnet(DistillationChain chain, int depth) {
        chain.getSpec().getStages().get(2).getModel().setArchitecture(Architecture.RESNET);
        chain.getSpec().getStages().get(2).getModel().setDepth(depth);
    }

    static VolumeDataset volume() {
        VolumeDataset volume = new VolumeDataset();
        volume.setClaimName("data");
        volume.setFormat(DatasetFormat.IDX);
        return volume;
    }
}
