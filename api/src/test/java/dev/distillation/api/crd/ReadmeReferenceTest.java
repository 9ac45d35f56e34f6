package dev.distillation.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's field reference lists exactly the fields of the committed CRD. */
class ReadmeReferenceTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> OPAQUE = Set.of("spec.trainer.tolerations[]", "status.conditions[]");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    @Test
    void readmeReferenceMatchesTheCrd() throws IOException {
        JsonNode crd = new YAMLMapper().readTree(ROOT.resolve("crds").resolve(CrdGeneration.FILE_NAME).toFile());
        JsonNode schema = crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties");
        Set<String> inCrd = new TreeSet<>();
        for (String top : new String[] {"spec", "status"}) {
            fields(schema.path(top).path("properties")).forEachRemaining(e -> walk(e.getValue(), top + "." + e.getKey(), inCrd));
        }

        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("<!-- reference:begin -->"), readme.indexOf("<!-- reference:end -->"));
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            documented.add(m.group(1));
        }

        assertThat(documented)
                .as("README.md's reference table; refresh it with: python3 scripts/crd-reference.py")
                .isEqualTo(inCrd);
    }

    private static void walk(JsonNode node, String path, Set<String> out) {
        if (!path.endsWith("[]")) {
            out.add(path);
        }
        if (OPAQUE.contains(path)) {
            return;
        }
        fields(node.path("properties")).forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), out));
        JsonNode items = node.path("items");
        if ("array".equals(node.path("type").asText()) && "object".equals(items.path("type").asText())) {
            walk(items, path + "[]", out);
        }
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node.fields();
    }
}
