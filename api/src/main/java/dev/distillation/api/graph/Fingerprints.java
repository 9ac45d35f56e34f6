package dev.distillation.api.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.job.StageJob;
import dev.distillation.api.job.StageJobFactory;
import dev.distillation.api.job.TrainerRecipe;
import dev.distillation.api.v1alpha1.DatasetSpec;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.VolumeDataset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A stage's fingerprint: SHA-256 of its resolved model and training settings, its pretrained
 * checkpoint, the dataset, its teacher's fingerprint, and the versions of the trainer's recipe that
 * apply to it ({@link TrainerRecipe}). Two specs give a stage the same
 * fingerprint exactly when it would train the same way from the same teacher, so after an edit
 * only stages whose fingerprint changed (and, through the teacher term, their descendants) re-run.
 * Pod-level settings (image, resources, scheduling, storage) do not enter it: they change where a
 * stage runs, not what it learns.
 */
public final class Fingerprints {

    private static final String VERSION = "v1";
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Fingerprints() {}

    /** Fingerprint of every stage, keyed by stage name, in topological order. */
    public static Map<String, String> of(DistillationChainSpec spec) {
        return of(spec, TrainerRecipe::version);
    }

    /** As {@link #of(DistillationChainSpec)}, with the recipe versions {@code recipe} gives. */
    static Map<String, String> of(DistillationChainSpec spec, ToIntFunction<TrainerRecipe> recipe) {
        Map<String, String> result = new LinkedHashMap<>();
        for (StageSpec stage : StageGraph.of(spec).topologicalOrder()) {
            String teacherFingerprint = stage.getTeacher() == null ? null : result.get(stage.getTeacher());
            result.put(stage.getName(), of(spec, stage, teacherFingerprint, recipe));
        }
        return result;
    }

    /**
     * The fingerprint of one stage (or one candidate of a stage, {@link Candidates}) learning from a teacher whose
     * fingerprint is {@code teacherFingerprint} (null for none): for chains whose teachers are only known once a
     * stage has chosen among its candidates.
     */
    public static String of(DistillationChainSpec spec, StageSpec stage, String teacherFingerprint) {
        return of(spec, stage, teacherFingerprint, TrainerRecipe::version);
    }

    static String of(DistillationChainSpec spec, StageSpec stage, String teacherFingerprint, ToIntFunction<TrainerRecipe> recipeVersions) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("version", VERSION);
        // Effective values only, so that spelling out a default (width: 1.0, path: /) changes nothing.
        content.put("model", model(stage.getModel()));
        content.put("training", spec.resolvedTraining(stage));
        if (stage.getPretrained() != null) {
            Map<String, Object> pretrained = new LinkedHashMap<>();
            pretrained.put("claimName", stage.getPretrained().getClaimName());
            pretrained.put("path", stage.getPretrained().effectivePath());
            content.put("pretrained", pretrained);
        }
        content.put("dataset", dataset(spec.getDataset()));
        StageJob.Validation validation = StageJobFactory.validation(spec.getDataset());
        if (validation != null) {
            // only when set, so that chains without a split keep the fingerprints they had
            content.put("validation", validation);
        }
        content.put("teacher", teacherFingerprint);
        Map<String, Integer> recipe = TrainerRecipe.versionsFor(stage, recipeVersions);
        if (!recipe.isEmpty()) {
            content.put("recipe", recipe);
        }
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(content);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint stage '" + stage.getName() + "'", e);
        }
    }

    /** A built-in network by architecture, depth and width; a TorchScript one by its file (claim and path), input and classes. */
    private static Map<String, Object> model(ModelSpec spec) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("architecture", spec.getArchitecture());
        if (spec.getArchitecture().builtin()) {
            model.put("depth", spec.getDepth());
            model.put("width", spec.effectiveWidth());
        } else {
            model.put("torchscript", spec.getTorchscript());
            model.put("input", spec.getInput());
            model.put("classes", spec.getClasses());
        }
        return model;
    }

    private static Map<String, Object> dataset(DatasetSpec dataset) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (dataset.getBuiltin() != null) {
            d.put("builtin", dataset.getBuiltin());
        }
        VolumeDataset volume = dataset.getVolume();
        if (volume != null) {
            d.put("claimName", volume.getClaimName());
            d.put("path", volume.effectivePath());
            d.put("format", volume.getFormat());
        }
        return d;
    }

    /** The first 12 hex digits, for labels and log lines. */
    public static String shortForm(String fingerprint) {
        String hex = fingerprint.startsWith("sha256:") ? fingerprint.substring(7) : fingerprint;
        return hex.substring(0, Math.min(12, hex.length()));
    }

}
