package dev.distillation.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Everything report.json holds: {@code {"chain", "stages": [...], "overrides": {...}, "comparisons": [...]}}.
 *
 * @param chain        the chain's metadata.name
 * @param stages       every stage, teachers first
 * @param overrides    smoke-run overrides applied to every stage ({} when none)
 * @param comparisons  distilled students against the baselines of the same model, when the chain has them
 * @param wallSeconds  wall-clock seconds of this run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"chain", "stages", "overrides", "comparisons", "wallSeconds"})
public record RunReport(String chain, List<StageReport> stages, Overrides overrides, List<Comparison> comparisons,
                        double wallSeconds) {

    /**
     * A student distilled along the longest path, against other stages training the same model.
     *
     * @param model     e.g. plain-cnn-2
     * @param stage     the stage distilled through the most teachers
     * @param path      its teachers, nearest first, e.g. [assistant, teacher]
     * @param testAccuracy its accuracy
     * @param baselines the other stages of the same model
     */
    public record Comparison(String model, String stage, List<String> path, Double testAccuracy, List<Baseline> baselines) {}

    /**
     * @param stage      baseline stage
     * @param path       its teachers, nearest first ([] = trained from labels alone)
     * @param testAccuracy its accuracy
     * @param difference the compared stage's accuracy minus this one's, in percentage points
     */
    public record Baseline(String stage, List<String> path, Double testAccuracy, Double difference) {}

    public StageReport stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + name));
    }
}
