package dev.distillation.api.validation;

import dev.distillation.api.graph.Candidates;
import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.CandidatesSpec;
import dev.distillation.api.v1alpha1.CandidatesSpec.CandidateModel;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rules of {@code spec.stages[].candidates}: a validation split to choose on, values within the bounds
 * of the fields they stand for, a number of combinations the chain can train, and candidate names that are
 * unique and fit a Kubernetes label.
 */
final class CandidatesValidator {

    private static final SpecField WIDTH = SpecField.of(ModelSpec.class, "width");
    private static final SpecField TEMPERATURE = SpecField.of(TrainingSpec.class, "temperature");
    private static final SpecField ALPHA = SpecField.of(TrainingSpec.class, "alpha");

    private final BiConsumer<String, String> error;

    CandidatesValidator(BiConsumer<String, String> error) {
        this.error = error;
    }

    /** Checks every stage that lists candidates; runs after the stages themselves passed. */
    void stages(DistillationChainSpec spec) {
        Set<String> stageNames = new HashSet<>();
        spec.getStages().forEach(s -> stageNames.add(s.getName()));
        Map<String, String> candidateNames = new HashMap<>();
        List<StageSpec> stages = spec.getStages();
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = stages.get(i);
            if (Candidates.has(stage)) {
                stage("spec.stages[" + i + "].candidates", spec, stage, stageNames, candidateNames);
            }
        }
    }

    private void stage(String path, DistillationChainSpec spec, StageSpec stage, Set<String> stageNames, Map<String, String> seen) {
        CandidatesSpec c = stage.getCandidates();
        int errors = 0;
        if (spec.getDataset() == null || spec.getDataset().getValidation() == null) {
            error.accept(path, "candidates are chosen on a validation split: set spec.dataset.validation (e.g. {size: 5000})");
            errors++;
        }
        if (stage.getPretrained() != null) {
            error.accept(path, "a pretrained stage loads one checkpoint and has nothing to choose: remove 'candidates' or 'pretrained'");
            errors++;
        }
        if (c.getModels() == null && c.getTemperature() == null && c.getAlpha() == null) {
            error.accept(path, "list at least one of models, temperature, alpha");
            errors++;
        }
        if (stage.getTeacher() == null && (c.getTemperature() != null || c.getAlpha() != null)) {
            error.accept(path + (c.getTemperature() != null ? ".temperature" : ".alpha"),
                    "temperature and alpha weigh a teacher's signal: a stage without a teacher can only list models");
            errors++;
        }
        errors += values(path + ".models", c.getModels());
        errors += values(path + ".temperature", c.getTemperature());
        errors += values(path + ".alpha", c.getAlpha());
        if (c.getModels() != null) {
            for (int i = 0; i < c.getModels().size(); i++) {
                errors += model(path + ".models[" + i + "]", stage.getModel(), c.getModels().get(i));
            }
        }
        errors += numbers(path + ".temperature", c.getTemperature(), TEMPERATURE);
        errors += numbers(path + ".alpha", c.getAlpha(), ALPHA);
        if (errors > 0 || stage.getModel() == null || stage.getModel().getDepth() == null) {
            return;
        }
        int count = Candidates.count(stage);
        if (count > Bounds.CANDIDATES_MAX) {
            error.accept(path, "lists " + count + " combinations; at most " + Bounds.CANDIDATES_MAX + " can train");
            return;
        }
        for (Candidates.Candidate candidate : Candidates.of(spec, stage)) {
            String name = candidate.name();
            if (name.length() > Bounds.CANDIDATE_NAME_MAX) {
                error.accept(path, "candidate name '" + name + "' is longer than " + Bounds.CANDIDATE_NAME_MAX
                        + " characters (the limit of a Kubernetes label): shorten the stage's name");
                return;
            }
            if (stageNames.contains(name)) {
                error.accept(path, "candidate '" + name + "' has the name of a stage: rename that stage");
                return;
            }
            String earlier = seen.putIfAbsent(name, path);
            if (earlier != null) {
                error.accept(path, "candidate '" + name + "' is listed twice" + (earlier.equals(path) ? "" : " (also in " + earlier + ")")
                        + ": each combination of values must be different");
                return;
            }
        }
    }

    private int values(String path, List<?> values) {
        if (values == null) {
            return 0;
        }
        if (values.isEmpty()) {
            error.accept(path, "lists no value: leave it out to keep the stage's own");
            return 1;
        }
        if (values.size() > Bounds.CANDIDATE_VALUES_MAX) {
            error.accept(path, "at most " + Bounds.CANDIDATE_VALUES_MAX + " values (found " + values.size() + ")");
            return 1;
        }
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            error.accept(path, "a value is empty");
            return 1;
        }
        return 0;
    }

    private int model(String path, ModelSpec stageModel, CandidateModel m) {
        int errors = 0;
        if (m.getDepth() != null && stageModel != null && stageModel.getArchitecture() != null
                && !stageModel.getArchitecture().supportsDepth(m.getDepth())) {
            error.accept(path + ".depth", stageModel.getArchitecture() + " supports depths " + stageModel.getArchitecture().depths()
                    + " (found " + m.getDepth() + ")");
            errors++;
        }
        if (m.getWidth() != null && !WIDTH.range().contains(m.getWidth())) {
            error.accept(path + ".width", "must be " + WIDTH.range().describe() + " (found " + m.getWidth() + ")");
            errors++;
        }
        return errors;
    }

    private int numbers(String path, List<Double> values, SpecField field) {
        if (values == null) {
            return 0;
        }
        int errors = 0;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v != null && !field.range().contains(v)) {
                error.accept(path + "[" + i + "]", "must be " + field.range().describe() + " (found " + v + ")");
                errors++;
            }
        }
        return errors;
    }
}
