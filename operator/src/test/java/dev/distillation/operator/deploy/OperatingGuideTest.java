package dev.distillation.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operating.md states what the chart does: the RBAC rules and the files it points to. */
class OperatingGuideTest {

    private static final Pattern RULES = Pattern.compile(
            "<!-- rbac-rules:begin -->\\s*```yaml\\n(.*?)```\\s*<!-- rbac-rules:end -->", Pattern.DOTALL);

    @Test
    void theRbacRulesListedAreTheChartsRules() throws Exception {
        String guide = Files.readString(Repo.root().resolve("docs/operating.md"));
        Matcher m = RULES.matcher(guide);

        assertThat(m.find()).as("docs/operating.md has the rbac-rules block").isTrue();
        JsonNode listed = Helm.parseDocuments("rules:\n" + m.group(1).replaceAll("(?m)^", "  ")).get(0);
        assertThat(Rule.of(listed)).containsExactlyElementsOf(Rule.OPERATOR);
    }

    @Test
    void everyRepositoryPathTheGuideNamesExists() throws Exception {
        String guide = Files.readString(Repo.root().resolve("docs/operating.md"));
        Matcher m = Pattern.compile("`((?:charts|examples|operator|trainer-image|docs)/[^`\\s]*)`").matcher(guide);
        List<String> missing = new ArrayList<>();
        int found = 0;
        while (m.find()) {
            found++;
            if (!Files.exists(Repo.root().resolve(m.group(1)))) {
                missing.add(m.group(1));
            }
        }
        assertThat(found).isGreaterThan(5);
        assertThat(missing).as("paths named in docs/operating.md").isEmpty();
    }
}
