package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's copies of generated files equal their sources. After changing a source, run
 * charts/tools/sync-generated.sh (never edit the copies by hand).
 */
class ChartGeneratedFilesTest {

    private static final String FIX = " (run charts/tools/sync-generated.sh)";

    @Test
    void chartCrdsAreExactCopiesOfTheGeneratedCrds() throws IOException {
        Path repoCrds = Repo.root().resolve("crds");
        Path chartCrds = Repo.chart().resolve("crds");
        List<String> generated = ymlFiles(repoCrds);

        assertThat(generated).as("generated CRDs in %s", repoCrds).isNotEmpty();
        assertThat(ymlFiles(chartCrds)).as("CRDs in the chart" + FIX).isEqualTo(generated);
        for (String name : generated) {
            assertThat(Files.readString(chartCrds.resolve(name))).as("chart's crds/%s" + FIX, name)
                    .isEqualTo(Files.readString(repoCrds.resolve(name)));
        }
        JsonNode crd = Helm.parseDocuments(Files.readString(chartCrds.resolve(generated.get(0)))).get(0);
        assertThat(crd.path("metadata").path("name").asText()).isEqualTo("distillationchains.distillation.dev");
    }

    @Test
    void argocdConfigMapPatchCarriesExactlyTheHealthCheck() throws IOException {
        Path argocd = Repo.chart().resolve("argocd");
        String lua = Files.readString(argocd.resolve("health.lua"));
        JsonNode patch = Helm.parseDocuments(Files.readString(argocd.resolve("argocd-cm-patch.yaml"))).get(0);

        assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
        assertThat(patch.path("data").path("resource.customizations.health.distillation.dev_DistillationChain").asText())
                .as("argocd-cm-patch.yaml's health check" + FIX).isEqualTo(lua);
    }

    private static List<String> ymlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml")).sorted().toList();
        }
    }
}
