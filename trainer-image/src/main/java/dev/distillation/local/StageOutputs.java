package dev.distillation.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.distillation.api.v1alpha1.StageMetrics;
import dev.distillation.trainer.EpochResult;
import dev.distillation.trainer.StageFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what the trainer left in a stage folder: the final metrics and the learning curve of metrics.json. */
public final class StageOutputs {

    private final ObjectMapper json;

    public StageOutputs(ObjectMapper json) {
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Final metrics and curve; {@code metrics} null when the folder holds no readable metrics.json. */
    public record Result(StageMetrics metrics, List<EpochResult> curve) {}

    public Result read(Path stageDir) throws IOException {
        Path file = StageFolder.of(stageDir).metrics();
        if (!Files.isRegularFile(file)) {
            return new Result(null, List.of());
        }
        JsonNode root = json.readTree(file.toFile());
        List<EpochResult> curve = new ArrayList<>();
        JsonNode epochs = root.path("epochs");
        if (epochs.isArray()) {
            for (JsonNode e : epochs) {
                curve.add(json.treeToValue(e, EpochResult.class));
            }
        }
        // The final metrics either sit under "metrics" / "final", or at the top level beside the curve.
        JsonNode metricsNode = root.has("metrics") && root.get("metrics").isObject() ? root.get("metrics")
                : root.has("final") && root.get("final").isObject() ? root.get("final")
                : root;
        ObjectNode copy = metricsNode.deepCopy();
        if (copy.path("epochs").isArray()) {
            copy.remove("epochs");
        }
        StageMetrics metrics = json.treeToValue(copy, StageMetrics.class);
        fillFromCurve(metrics, curve);
        return new Result(metrics, List.copyOf(curve));
    }

    /** Completes metrics a trainer left out from the curve, so the report's columns are always filled when a curve exists. */
    static void fillFromCurve(StageMetrics m, List<EpochResult> curve) {
        if (curve.isEmpty()) {
            return;
        }
        EpochResult last = curve.get(curve.size() - 1);
        if (m.getTestAccuracy() == null) {
            m.setTestAccuracy(last.testAccuracy());
        }
        if (m.getTestLoss() == null) {
            m.setTestLoss(last.testLoss());
        }
        if (m.getBestTestAccuracy() == null) {
            m.setBestTestAccuracy(curve.stream().mapToDouble(EpochResult::testAccuracy).max().orElse(last.testAccuracy()));
        }
        if (m.getEpochs() == null) {
            m.setEpochs(last.epoch());
        }
        if (m.getTrainSeconds() == null) {
            m.setTrainSeconds(curve.stream().mapToDouble(EpochResult::seconds).sum());
        }
    }
}
