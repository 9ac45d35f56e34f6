package dev.distillation.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Kubernetes' own types (Toleration, Condition) come without descriptions from fabric8's model. */
    private static void collectUndocumented(String at, JsonNode schema, List<String> out) {
        if (at.endsWith("/tolerations/items") || at.endsWith("/conditions/items")) {
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
            "/properties/spec/properties/stages/items/properties/model/properties/architecture | plain-cnn,resnet",
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
                "metadata.name must be at most 36 characters, so that the names of its stage Pods and volumes stay valid",
                "metadata.name must be a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit): "
                        + "it is part of every stage's Pod and volume name");
        assertThat(messages(spec)).containsExactly(
                "stage names must be unique",
                "every stage's teacher must name a stage of this chain",
                "a stage's teacher must be listed before it (stages form a forest: no self-teaching, no cycles)");
        assertThat(messages(spec.at("/properties/dataset"))).containsExactly(
                "dataset needs exactly one source: either 'builtin' or 'volume'");
        assertThat(messages(stage.at("/properties/model"))).containsExactly(
                "plain-cnn depth must be one of 2, 4, 6, 8, 10",
                "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...)");

        List<JsonNode> all = new ArrayList<>();
        collectValidations(root, all);
        assertThat(all).as("no rules elsewhere").hasSize(8)
                .allSatisfy(v -> assertThat(v.path("rule").asText()).isNotBlank());
        assertThat(rules(stage.at("/properties/model"))).allSatisfy(r -> assertThat(r).contains("self.depth"));
    }

    /** Kubernetes rejects CEL whose estimated cost is unbounded: every list and string the spec rules walk is bounded. */
    @Test
    void whatCelWalksIsBounded() {
        JsonNode stages = spec.at("/properties/stages");
        assertThat(stages.path("maxItems").asInt()).isEqualTo(32);
        assertThat(stages.path("minItems").asInt()).isEqualTo(1);
        for (String field : List.of("name", "teacher")) {
            JsonNode s = stage.at("/properties/" + field);
            assertThat(s.path("maxLength").asInt()).as(field).isEqualTo(20);
            assertThat(s.path("pattern").asText()).as(field).isEqualTo("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        }
    }

    @Test
    void requiredFieldsAndDefaults() {
        assertThat(texts(root.get("required"))).containsExactly("spec");
        assertThat(texts(spec.get("required"))).containsExactlyInAnyOrder("dataset", "stages");
        assertThat(texts(stage.get("required"))).containsExactlyInAnyOrder("name", "model");
        assertThat(texts(stage.at("/properties/model/required"))).containsExactlyInAnyOrder("architecture", "depth");
        assertThat(spec.at("/properties/parallelism/default").asInt()).isEqualTo(1);
        assertThat(spec.at("/properties/backoffLimit/default").asInt()).isEqualTo(2);
        assertThat(spec.at("/properties/suspend/default").asBoolean(true)).isFalse();
        assertThat(spec.at("/properties/trainer/properties/resources/properties/gpu/default").asInt()).isEqualTo(1);
        assertThat(spec.at("/properties/storage/properties/size/default").asText()).isEqualTo("2Gi");
        assertThat(spec.at("/properties/storage/properties/retain/default").asText()).isEqualTo("All");
        assertThat(spec.at("/properties").has("suspended")).as("no property from isSuspended()").isFalse();
        // a defaulted field in a stage's override would silently win over the chain's value
        spec.at("/properties/training/properties").forEach(p -> assertThat(p.has("default")).isFalse());
        stage.at("/properties/training/properties").forEach(p -> assertThat(p.has("default")).isFalse());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "/properties/spec/properties/parallelism, 1, 32, false, false",
            "/properties/spec/properties/backoffLimit, 0, 10, false, false",
            "/properties/spec/properties/trainer/properties/resources/properties/gpu, 0, 16, false, false",
            "/properties/spec/properties/stages/items/properties/model/properties/width, 0, 8, true, false",
            "/properties/spec/properties/training/properties/epochs, 1, 10000, false, false",
            "/properties/spec/properties/training/properties/batchSize, 1, 65536, false, false",
            "/properties/spec/properties/training/properties/learningRate, 0, 10, true, false",
            "/properties/spec/properties/training/properties/momentum, 0, 1, false, true",
            "/properties/spec/properties/training/properties/weightDecay, 0, 1, false, false",
            "/properties/spec/properties/training/properties/lrStepEpochs, 1, -, false, false",
            "/properties/spec/properties/training/properties/lrGamma, 0, 1, true, false",
            "/properties/spec/properties/training/properties/temperature, 0, 100, true, false",
            "/properties/spec/properties/training/properties/alpha, 0, 1, false, false",
            "/properties/spec/properties/training/properties/seed, 0, -, false, false"})
    void boundsMatchTheValidator(String pointer, Double min, Double max, boolean exclusiveMin, boolean exclusiveMax) {
        JsonNode field = root.at(pointer);
        assertThat(field.path("minimum").asDouble()).isEqualTo(min);
        if (max == null) {
            assertThat(field.has("maximum")).isFalse();
        } else {
            assertThat(field.path("maximum").asDouble()).isEqualTo(max);
        }
        assertThat(field.path("exclusiveMinimum").asBoolean()).isEqualTo(exclusiveMin);
        assertThat(field.path("exclusiveMaximum").asBoolean()).isEqualTo(exclusiveMax);
        if (pointer.contains("/training/")) {
            assertThat(root.at(pointer.replace("/properties/spec/properties/training", "/properties/spec/properties/stages/items/properties/training")))
                    .as("stage override has the same bounds").isEqualTo(field);
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
