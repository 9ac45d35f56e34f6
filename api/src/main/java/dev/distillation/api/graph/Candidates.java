package dev.distillation.api.graph;

import dev.distillation.api.v1alpha1.CandidatesSpec;
import dev.distillation.api.v1alpha1.CandidatesSpec.CandidateModel;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The candidates of a stage that lists {@code candidates}: every combination of its models, temperatures
 * and alphas (models varying slowest), each as a stage of its own that differs from the listing stage only
 * in those values. A candidate is named after its values, {@code <stage>-d<depth>-w<width>} and, for a
 * stage with a teacher, {@code -t<T>-a<alpha>}: the name and the fingerprint depend on its own values
 * (and its teacher) only, so adding a value to a list leaves the other candidates' names and results as
 * they were. Pure.
 */
public final class Candidates {

    /**
     * One candidate.
     *
     * @param name  its name, also the name of its folder (locally) and of its Pod and volume (on a cluster)
     * @param stage the stage it trains: the listing stage with the candidate's model, temperature and alpha
     */
    public record Candidate(String name, StageSpec stage) {}

    private Candidates() {}

    /** Whether {@code stage} lists candidates. */
    public static boolean has(StageSpec stage) {
        return stage.getCandidates() != null;
    }

    /** Whether any stage of {@code spec} lists candidates. */
    public static boolean any(DistillationChainSpec spec) {
        return spec.getStages().stream().anyMatch(Candidates::has);
    }

    /** The candidates of {@code stage} (which must list them), in the order they are listed. */
    public static List<Candidate> of(DistillationChainSpec spec, StageSpec stage) {
        CandidatesSpec c = stage.getCandidates();
        TrainingSpec resolved = spec.resolvedTraining(stage);
        List<CandidateModel> models = orOwn(c.getModels(), new CandidateModel(stage.getModel().getDepth(), stage.getModel().getWidth()));
        List<Double> temperatures = orOwn(c.getTemperature(), resolved.getTemperature());
        List<Double> alphas = orOwn(c.getAlpha(), resolved.getAlpha());
        boolean distilled = stage.getTeacher() != null;
        List<Candidate> result = new ArrayList<>();
        for (CandidateModel m : models) {
            for (double t : distilled ? temperatures : List.of(resolved.getTemperature())) {
                for (double a : distilled ? alphas : List.of(resolved.getAlpha())) {
                    result.add(candidate(stage, m, distilled, c.getTemperature() != null ? t : null, c.getAlpha() != null ? a : null,
                            t, a));
                }
            }
        }
        return result;
    }

    /** The stage of {@code spec} that lists the candidate named {@code name}; {@code name} itself when no stage lists it. */
    public static String stageOf(DistillationChainSpec spec, String name) {
        for (StageSpec stage : spec.getStages()) {
            if (has(stage) && of(spec, stage).stream().anyMatch(c -> c.name().equals(name))) {
                return stage.getName();
            }
        }
        return name;
    }

    /** How many candidates {@code stage} lists (1 per list left out), without building them. */
    public static int count(StageSpec stage) {
        CandidatesSpec c = stage.getCandidates();
        int models = c.getModels() == null ? 1 : c.getModels().size();
        if (stage.getTeacher() == null) {
            return models;
        }
        return models * (c.getTemperature() == null ? 1 : c.getTemperature().size()) * (c.getAlpha() == null ? 1 : c.getAlpha().size());
    }

    private static Candidate candidate(StageSpec stage, CandidateModel m, boolean distilled, Double temperature, Double alpha,
                                       double resolvedT, double resolvedAlpha) {
        ModelSpec model = new ModelSpec();
        model.setArchitecture(stage.getModel().getArchitecture());
        model.setDepth(m.getDepth() != null ? m.getDepth() : stage.getModel().getDepth());
        model.setWidth(m.getWidth());
        TrainingSpec training = stage.getTraining() == null ? new TrainingSpec() : stage.getTraining().copy();
        if (temperature != null) {
            training.setTemperature(temperature);
        }
        if (alpha != null) {
            training.setAlpha(alpha);
        }
        StageSpec s = new StageSpec();
        s.setModel(model);
        s.setTeacher(stage.getTeacher());
        s.setTraining(training);
        String name = stage.getName() + "-d" + model.getDepth() + "-w" + number(model.effectiveWidth())
                + (distilled ? "-t" + number(resolvedT) + "-a" + number(resolvedAlpha) : "");
        s.setName(name);
        return new Candidate(name, s);
    }

    private static <T> List<T> orOwn(List<T> listed, T own) {
        return listed == null ? Collections.singletonList(own) : listed;
    }

    /** A value as candidate names write it: 4.0 → "4", 0.90 → "0.9". */
    public static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
