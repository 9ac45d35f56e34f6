package dev.distillation.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.distillation.api.Fixtures;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.InputSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.PretrainedSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.StorageSpec;
import dev.distillation.api.v1alpha1.TolerationSpec;
import dev.distillation.api.v1alpha1.TrainerSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.v1alpha1.VolumeDataset;
import dev.distillation.api.validation.ChainValidator;
import dev.distillation.api.validation.Range;
import dev.distillation.api.validation.SpecField;
import dev.distillation.api.validation.ValidationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cheap structural checks of the generated CRD: what {@code kubectl} users and the API server rely
 * on. (Whether the API server accepts the CEL rules and their cost is checked by the e2e tests.)
 */
class CrdContentTest {

    private static JsonNode crd;
    private static JsonNode version;
    private static JsonNode root;
    private static JsonNode spec;
    private static JsonNode stage;

    @BeforeAll
    static void generate() throws IOException {
        Path dir = Files.createTempDirectory("crd");
        crd = new YAMLMapper().readTree(CrdGeneration.generate(dir).toFile());
        version = crd.at("/spec/versions/0");
        root = version.at("/schema/openAPIV3Schema");
        spec = root.at("/properties/spec");
        stage = spec.at("/properties/stages/items");
    }

    @Test
    void namesScopeAndVersion() {
        assertThat(crd.at("/metadata/name").asText()).isEqualTo("distillationchains.distillation.dev");
        assertThat(crd.at("/spec/group").asText()).isEqualTo("distillation.dev");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("DistillationChain");
        assertThat(crd.at("/spec/names/plural").asText()).isEqualTo("distillationchains");
        assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly("dchain");
        assertThat(crd.at("/spec/versions")).hasSize(1);
        assertThat(version.get("name").asText()).isEqualTo("v1alpha1");
        assertThat(version.get("served").asBoolean()).isTrue();
        assertThat(version.get("storage").asBoolean()).isTrue();
    }

    @Test
    void statusSubresource() {
        assertThat(version.at("/subresources/status").isObject()).isTrue();
    }

    @Test
    void printerColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        version.get("additionalPrinterColumns").forEach(c -> columns.put(c.get("name").asText(),
                c.get("jsonPath").asText() + " " + c.get("type").asText()));
        assertThat(columns).containsOnly(
                Map.entry("Phase", ".status.phase string"),
                Map.entry("Stage", ".status.activeStages string"),
                Map.entry("Done", ".status.progress string"),
                Map.entry("Training", ".status.training string"),
                Map.entry("Best", ".status.bestAccuracy string"),
                Map.entry("Age", ".metadata.creationTimestamp date"));
        columns.values().stream().filter(c -> c.startsWith(".status.")).forEach(c ->
                assertThat(root.at("/properties/status/properties/" + c.substring(8, c.indexOf(' '))).isMissingNode())
                        .as("status field behind column %s", c).isFalse());
    }

    @Test
    void everyFieldIsDescribed() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented("", root, undocumented);
        assertThat(undocumented).as("properties without description (kubectl explain shows nothing)").isEmpty();
    }

    /** Kubernetes' own Condition type comes without descriptions from fabric8's model. */
    private static void collectUndocumented(String at, JsonNode schema, List<String> out) {
        if (at.endsWith("/conditions/items")) {
            return;
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                String path = at + "/" + p.getKey();
                if (!p.getValue().hasNonNull("description") || p.getValue().get("description").asText().isBlank()) {
                    out.add(path);
                }
                collectUndocumented(path, p.getValue(), out);
            }
        }
        if (schema.has("items")) {
            collectUndocumented(at + "/items", schema.get("items"), out);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "/properties/spec/properties/dataset/properties/builtin | fashion-mnist",
            "/properties/spec/properties/dataset/properties/volume/properties/format | cifar10,cifar100,idx,image-folder",
            "/properties/spec/properties/stages/items/properties/model/properties/architecture | plain-cnn,resnet,torchscript",
            "/properties/spec/properties/training/properties/optimizer | adam,sgd",
            "/properties/spec/properties/training/properties/lrSchedule | constant,cosine,step",
            "/properties/spec/properties/stages/items/properties/training/properties/optimizer | adam,sgd",
            "/properties/spec/properties/storage/properties/retain | All,Final,None",
            "/properties/status/properties/phase | Failed,Invalid,Pending,Running,Succeeded,Suspended",
            "/properties/status/properties/stages/items/properties/phase | Failed,Pending,Running,Skipped,Succeeded,Waiting"})
    void enumsUseWireValues(String pointer, String values) {
        assertThat(texts(root.at(pointer + "/enum"))).containsExactlyInAnyOrder(values.split(","));
    }

    /** The rules themselves are compiled and evaluated by CelRulesTest; here: each is where it belongs, with its message. */
    @Test
    void celRulesCarryMessages() {
        assertThat(messages(root)).containsExactly(
                "metadata.name must be at most " + Bounds.CHAIN_NAME_MAX + " characters, so that the names of its stage Pods and volumes stay valid",
                "metadata.name must be a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit): "
                        + "it is part of every stage's Pod and volume name");
        assertThat(messages(spec)).containsExactly(
                "stage names must be unique",
                "every stage's teacher must name a stage of this chain",
                "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)");
        assertThat(messages(spec.at("/properties/dataset"))).containsExactly(
                "dataset needs exactly one source: either 'builtin' or 'volume'");
        // the validator's messages, so that kubectl apply and distill run say the same
        assertThat(messages(stage.at("/properties/model"))).containsExactly(ModelSpec.DEPTH_REQUIRED_MESSAGE,
                ModelSpec.PLAIN_CNN_DEPTH_MESSAGE, ModelSpec.RESNET_DEPTH_MESSAGE, ModelSpec.TORCHSCRIPT_DECLARATION_MESSAGE,
                ModelSpec.BUILTIN_ONLY_MESSAGE, ModelSpec.TORCHSCRIPT_ONLY_MESSAGE);
        assertThat(messages(stage)).containsExactly(StageSpec.TORCHSCRIPT_SOURCE_MESSAGE, StageSpec.PRETRAINED_TEACHER_MESSAGE);
        assertThat(messages(stage.at("/properties/model/properties/input"))).containsExactly(InputSpec.MEAN_STD_MESSAGE,
                InputSpec.MEAN_SIZE_MESSAGE, InputSpec.STD_SIZE_MESSAGE, InputSpec.STD_POSITIVE_MESSAGE);

        // values Kubernetes checks on the stage's Pod and volume
        JsonNode trainer = spec.at("/properties/trainer/properties");
        assertThat(messages(trainer.path("image"))).containsExactly(TrainerSpec.IMAGE_MESSAGE);
        assertThat(messages(trainer.path("nodeSelector"))).containsExactly(
                TrainerSpec.NODE_SELECTOR_KEY_MESSAGE, TrainerSpec.NODE_SELECTOR_VALUE_MESSAGE);
        assertThat(messages(trainer.path("priorityClassName"))).containsExactly(TrainerSpec.PRIORITY_CLASS_MESSAGE);
        assertThat(messages(trainer.at("/resources/properties/cpu"))).containsExactly(ResourcesSpec.CPU_MESSAGE);
        assertThat(messages(trainer.at("/resources/properties/memory"))).containsExactly(ResourcesSpec.MEMORY_MESSAGE);
        assertThat(messages(trainer.at("/tolerations/items"))).containsExactly(TolerationSpec.EMPTY_KEY_MESSAGE,
                TolerationSpec.EXISTS_VALUE_MESSAGE, TolerationSpec.SECONDS_MESSAGE, TolerationSpec.KEY_MESSAGE, TolerationSpec.VALUE_MESSAGE);
        assertThat(messages(spec.at("/properties/storage/properties/size"))).containsExactly(StorageSpec.SIZE_MESSAGE);
        assertThat(messages(spec.at("/properties/storage/properties/storageClassName"))).containsExactly(StorageSpec.STORAGE_CLASS_MESSAGE);
        assertThat(messages(spec.at("/properties/storage/properties/accessModes"))).containsExactly(StorageSpec.ACCESS_MODES_MESSAGE);

        List<JsonNode> all = new ArrayList<>();
        collectValidations(root, all);
        assertThat(all).as("no rules elsewhere").hasSize(32)
                .allSatisfy(v -> assertThat(v.path("rule").asText()).isNotBlank());
        assertThat(rules(stage.at("/properties/model"))).allSatisfy(r -> assertThat(r).contains("self.architecture"));
    }

    /** Kubernetes rejects CEL whose estimated cost is unbounded: every list and string the spec rules walk is bounded. */
    @Test
    void whatCelWalksIsBounded() {
        JsonNode trainer = spec.at("/properties/trainer/properties");
        assertThat(trainer.at("/image/maxLength").asInt()).isEqualTo(Bounds.IMAGE_REFERENCE_MAX);
        assertThat(trainer.at("/priorityClassName/maxLength").asInt()).isEqualTo(Bounds.DNS_SUBDOMAIN_MAX);
        assertThat(trainer.at("/nodeSelector/maxProperties").asInt()).isEqualTo(Bounds.NODE_SELECTOR_MAX);
        // without it the values rule's estimated cost is 13 times the API server's budget (measured on v1.36)
        assertThat(trainer.at("/nodeSelector/additionalProperties/maxLength").asInt()).isEqualTo(Bounds.LABEL_VALUE_MAX);
        assertThat(trainer.at("/tolerations/maxItems").asInt()).isEqualTo(Bounds.TOLERATIONS_MAX);
        assertThat(trainer.at("/tolerations/items/properties/key/maxLength").asInt()).isEqualTo(Bounds.QUALIFIED_NAME_MAX);
        assertThat(trainer.at("/tolerations/items/properties/value/maxLength").asInt()).isEqualTo(Bounds.LABEL_VALUE_MAX);
        assertThat(spec.at("/properties/storage/properties/storageClassName/maxLength").asInt()).isEqualTo(Bounds.DNS_SUBDOMAIN_MAX);
        JsonNode stages = spec.at("/properties/stages");
        assertThat(stages.path("maxItems").asInt()).isEqualTo(Bounds.STAGES_MAX);
        assertThat(stages.path("minItems").asInt()).isEqualTo(Bounds.STAGES_MIN);
        for (String field : List.of("name", "teacher")) {
            JsonNode s = stage.at("/properties/" + field);
            assertThat(s.path("maxLength").asInt()).as(field).isEqualTo(Bounds.STAGE_NAME_MAX);
            assertThat(s.path("pattern").asText()).as(field).isEqualTo(Bounds.DNS_LABEL);
        }
    }

    @Test
    void requiredFieldsAndDefaults() {
        assertThat(texts(root.get("required"))).containsExactly("spec");
        assertThat(texts(spec.get("required"))).containsExactlyInAnyOrder("dataset", "stages");
        assertThat(texts(stage.get("required"))).containsExactlyInAnyOrder("name", "model");
        assertThat(texts(stage.at("/properties/model/required"))).containsExactlyInAnyOrder("architecture");
        // The schema's defaults are the ones Java applies to a spec that did not pass through an API server.
        DistillationChainSpec unset = new DistillationChainSpec();
        assertThat(spec.at("/properties/parallelism/default").asInt()).isEqualTo(unset.effectiveParallelism());
        assertThat(spec.at("/properties/backoffLimit/default").asInt()).isEqualTo(unset.effectiveBackoffLimit());
        assertThat(spec.at("/properties/suspend/default").asBoolean(!unset.isSuspended())).isEqualTo(unset.isSuspended());
        assertThat(spec.at("/properties/trainer/properties/resources/properties/gpu/default").asInt())
                .isEqualTo(new ResourcesSpec().effectiveGpu());
        assertThat(spec.at("/properties/storage/properties/size/default").asText())
                .isEqualTo(new StorageSpec().effectiveSize().toString());
        assertThat(spec.at("/properties/storage/properties/retain/default").asText())
                .isEqualTo(new StorageSpec().effectiveRetain().value());
        assertThat(spec.at("/properties/dataset/properties/volume/properties/path/default").asText())
                .isEqualTo(new VolumeDataset().effectivePath());
        assertThat(stage.at("/properties/pretrained/properties/path/default").asText())
                .isEqualTo(new PretrainedSpec().effectivePath());
        assertThat(spec.at("/properties").has("suspended")).as("no property from isSuspended()").isFalse();
        // a defaulted field in a stage's override would silently win over the chain's value
        spec.at("/properties/training/properties").forEach(p -> assertThat(p.has("default")).isFalse());
        stage.at("/properties/training/properties").forEach(p -> assertThat(p.has("default")).isFalse());
    }

    /** Where a spec class sits in the CRD and in the fixture chain. */
    record Place(String pointer, String path, Class<?> type, Function<DistillationChain, Object> owner) {
        @Override
        public String toString() {
            return path;
        }
    }

    // fashion-takd.yaml sets trainer.resources, spec.training and spec.stages[2].training
    static final List<Place> PLACES = List.of(
            new Place("/properties/spec", "spec", DistillationChainSpec.class, DistillationChain::getSpec),
            new Place("/properties/spec/properties/trainer/properties/resources", "spec.trainer.resources", ResourcesSpec.class,
                    c -> c.getSpec().getTrainer().getResources()),
            new Place("/properties/spec/properties/stages/items/properties/model", "spec.stages[0].model", ModelSpec.class,
                    c -> c.getSpec().getStages().get(0).getModel()),
            new Place("/properties/spec/properties/stages/items/properties/model/properties/input", "spec.stages[0].model.input",
                    InputSpec.class, c -> torchscriptOnVolume(c).getInput()),
            new Place("/properties/spec/properties/training", "spec.training", TrainingSpec.class, c -> c.getSpec().getTraining()),
            new Place("/properties/spec/properties/dataset/properties/validation", "spec.dataset.validation", ValidationSplit.class,
                    CrdContentTest::validationSplit),
            new Place("/properties/spec/properties/stages/items/properties/training", "spec.stages[2].training", TrainingSpec.class,
                    c -> c.getSpec().getStages().get(2).getTraining()));

    /** The fixture's validation split, added (5000 images) for the bound under test. */
    private static ValidationSplit validationSplit(DistillationChain chain) {
        if (chain.getSpec().getDataset().getValidation() == null) {
            chain.getSpec().getDataset().setValidation(new ValidationSplit(5000, null));
        }
        return chain.getSpec().getDataset().getValidation();
    }

    /**
     * Stage 0 of {@code chain} as a TorchScript network, on a volume dataset: its declared input and
     * classes may then take any value in their bounds (a builtin dataset fixes them).
     */
    static ModelSpec torchscriptOnVolume(DistillationChain chain) {
        VolumeDataset volume = new VolumeDataset();
        volume.setClaimName("data");
        volume.setFormat(DatasetFormat.IDX);
        chain.getSpec().getDataset().setBuiltin(null);
        chain.getSpec().getDataset().setVolume(volume);
        return Fixtures.torchscript(chain, 0);
    }

    static Stream<Arguments> boundedFields() {
        return PLACES.stream().flatMap(p -> SpecField.bounded(p.type()).stream()
                .map(f -> Arguments.of(p.path() + "." + f.name(), p, f)));
    }

    /**
     * Each bound of the table is in the CRD, and the validator accepts the last value inside it and
     * rejects the first value past it, naming the field.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boundedFields")
    void boundsMatchTheValidator(String name, Place place, SpecField field) {
        Range range = field.range();
        JsonNode schema = root.at(place.pointer() + "/properties/" + field.name());
        assertThat(schema.isObject()).as("%s in the CRD", name).isTrue();
        assertThat(schema.has("minimum") ? schema.get("minimum").asDouble() : null).as("minimum").isEqualTo(range.min());
        assertThat(schema.has("maximum") ? schema.get("maximum").asDouble() : null).as("maximum").isEqualTo(range.max());
        assertThat(schema.path("exclusiveMinimum").asBoolean()).as("exclusiveMinimum").isEqualTo(!range.minInclusive());
        assertThat(schema.path("exclusiveMaximum").asBoolean()).as("exclusiveMaximum").isEqualTo(!range.maxInclusive());

        String path = place.path() + "." + field.name();
        if (range.min() != null) {
            assertAccepted(place, field, step(field, range.min(), range.minInclusive() ? 0 : +1));
            assertRejected(place, field, step(field, range.min(), range.minInclusive() ? -1 : 0), path);
        }
        if (range.max() != null) {
            assertAccepted(place, field, step(field, range.max(), range.maxInclusive() ? 0 : -1));
            assertRejected(place, field, step(field, range.max(), range.maxInclusive() ? +1 : 0), path);
        }
    }

    /** Every numeric bound in the CRD's spec is one that boundsMatchTheValidator checks. */
    @Test
    void everyBoundOfTheCrdIsInTheTable() {
        List<String> inCrd = new ArrayList<>();
        collectBounded("/properties/spec", spec, inCrd);
        List<String> inTable = PLACES.stream().flatMap(p -> SpecField.bounded(p.type()).stream()
                .map(f -> p.pointer() + "/properties/" + f.name())).toList();
        assertThat(inTable).containsExactlyInAnyOrderElementsOf(inCrd);
    }

    private static void collectBounded(String at, JsonNode schema, List<String> out) {
        if (schema.has("minimum") || schema.has("maximum")) {
            out.add(at);
        }
        schema.path("properties").fields().forEachRemaining(p -> collectBounded(at + "/properties/" + p.getKey(), p.getValue(), out));
        if (schema.has("items")) {
            collectBounded(at + "/items", schema.get("items"), out);
        }
    }

    /** {@code bound} moved by {@code direction} steps of the smallest amount the field's type can hold. */
    private static Number step(SpecField field, double bound, int direction) {
        if (field.type() == Integer.class) {
            return (int) bound + direction;
        }
        if (field.type() == Long.class) {
            return (long) bound + direction;
        }
        return direction == 0 ? bound : direction > 0 ? Math.nextUp(bound) : Math.nextDown(bound);
    }

    private static void assertAccepted(Place place, SpecField field, Number value) {
        DistillationChain chain = Fixtures.fashionTakd();
        Object owner = place.owner().apply(chain);
        if (owner instanceof ModelSpec && field.name().equals("classes")) {
            torchscriptOnVolume(chain);
        }
        field.set(owner, value);
        if (owner instanceof ModelSpec model && field.name().equals("depth")) {
            // The schema's depth bounds are the union of the architectures' depths: some architecture has each.
            model.setArchitecture(Arrays.stream(Architecture.values()).filter(a -> a.supportsDepth(value.intValue()))
                    .findFirst().orElseThrow(() -> new AssertionError("no architecture has depth " + value)));
        }
        assertThat(ChainValidator.validate(chain)).as("%s = %s", field.name(), value).isEmpty();
    }

    private static void assertRejected(Place place, SpecField field, Number value, String path) {
        // Past the schema's depth bounds, no architecture has the depth.
        Architecture[] architectures = field.name().equals("depth")
                ? Arrays.stream(Architecture.values()).filter(Architecture::builtin).toArray(Architecture[]::new) : new Architecture[] {null};
        for (Architecture architecture : architectures) {
            DistillationChain chain = Fixtures.fashionTakd();
            Object owner = place.owner().apply(chain);
            if (owner instanceof ModelSpec && field.name().equals("classes")) {
                torchscriptOnVolume(chain);
            }
            field.set(owner, value);
            if (architecture != null) {
                ((ModelSpec) owner).setArchitecture(architecture);
            }
            assertThat(ChainValidator.validate(chain)).as("%s = %s (%s)", field.name(), value, architecture)
                    .extracting(ValidationError::path).containsExactly(path);
        }
    }

    @Test
    void conditionsHaveTheKubernetesShape() {
        JsonNode condition = root.at("/properties/status/properties/conditions/items/properties");
        assertThat(iterable(condition.fieldNames())).containsExactlyInAnyOrder(
                "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
        assertThat(condition.at("/observedGeneration/type").asText()).isEqualTo("integer");
        assertThat(condition.at("/type/type").asText()).isEqualTo("string");
    }

    private static List<String> messages(JsonNode schema) {
        return StreamSupport.stream(schema.path("x-kubernetes-validations").spliterator(), false)
                .map(v -> v.get("message").asText()).toList();
    }

    private static List<String> rules(JsonNode schema) {
        return StreamSupport.stream(schema.path("x-kubernetes-validations").spliterator(), false)
                .map(v -> v.get("rule").asText()).toList();
    }

    private static void collectValidations(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            node.path("x-kubernetes-validations").forEach(out::add);
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("x-kubernetes-validations")) {
                    collectValidations(e.getValue(), out);
                }
            });
        }
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
