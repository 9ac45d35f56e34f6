package dev.distillation.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code crds/distillationchains.distillation.dev-v1.yml} must be what the generator
 * makes of the Java model today. After changing the model, refresh it with
 * {@value #REFRESH} and commit the result.
 */
class CrdUpToDateTest {

    static final String REFRESH = "./mvnw -pl api test -Dtest=CrdUpToDateTest -Dcrd.update=true";
    private static final ObjectMapper YAML = new YAMLMapper();

    @Test
    void committedCrdIsWhatTheModelGenerates(@TempDir Path dir) throws IOException {
        Path generated = CrdGeneration.generate(dir);
        Path committed = crdDir().resolve(CrdGeneration.FILE_NAME);

        if (Boolean.getBoolean("crd.update")) {
            Files.createDirectories(committed.getParent());
            Files.copy(generated, committed, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("wrote " + committed.normalize());
            return;
        }
        if (!Files.exists(committed)) {
            fail(committed.normalize() + " does not exist. Generate it with:\n  " + REFRESH + "\nand commit it.");
        }
        List<String> differences = new ArrayList<>();
        diff("", YAML.readTree(committed.toFile()), YAML.readTree(generated.toFile()), differences);
        if (!differences.isEmpty()) {
            fail(committed.normalize() + " is out of date with the Java model in api/src/main/java/dev/distillation/api/v1alpha1 ("
                    + differences.size() + " difference(s), committed vs generated):\n  "
                    + String.join("\n  ", differences.subList(0, Math.min(20, differences.size())))
                    + "\nRefresh it with:\n  " + REFRESH + "\nthen review and commit crds/.");
        }
    }

    static Path crdDir() {
        String configured = System.getProperty("crd.dir");
        return configured != null ? Path.of(configured) : Path.of("..", "crds");
    }

    /** Paths (JSON-pointer style) where the two trees differ. */
    static void diff(String at, JsonNode committed, JsonNode generated, List<String> out) {
        if (committed.equals(generated)) {
            return;
        }
        if (committed.isObject() && generated.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = committed.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!generated.has(e.getKey())) {
                    out.add(at + "/" + e.getKey() + ": only in the committed file");
                } else {
                    diff(at + "/" + e.getKey(), e.getValue(), generated.get(e.getKey()), out);
                }
            }
            for (Iterator<String> it = generated.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!committed.has(key)) {
                    out.add(at + "/" + key + ": only in the generated CRD");
                }
            }
        } else if (committed.isArray() && generated.isArray() && committed.size() == generated.size()) {
            for (int i = 0; i < committed.size(); i++) {
                diff(at + "/" + i, committed.get(i), generated.get(i), out);
            }
        } else {
            out.add(at + ": committed " + abbreviate(committed) + ", generated " + abbreviate(generated));
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    @Test
    void theDiffNamesWhereFilesDiffer() throws IOException {
        JsonNode a = YAML.readTree("{spec: {names: {kind: A}, versions: [{name: v1}], old: 1}}");
        JsonNode b = YAML.readTree("{spec: {names: {kind: B}, versions: [{name: v1}, {name: v2}], new: 2}}");
        List<String> out = new ArrayList<>();
        diff("", a, b, out);
        assertThat(out).containsExactly(
                "/spec/names/kind: committed \"A\", generated \"B\"",
                "/spec/versions: committed [{\"name\":\"v1\"}], generated [{\"name\":\"v1\"},{\"name\":\"v2\"}]",
                "/spec/old: only in the committed file",
                "/spec/new: only in the generated CRD");
    }
}
