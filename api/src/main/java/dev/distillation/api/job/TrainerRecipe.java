package dev.distillation.api.job;

import dev.distillation.api.v1alpha1.StageSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Versions of what the trainer does with a StageJob, one per part that a change can touch. A
 * trainer change that changes results (a fix, a new default inside the trainer) bumps the version of
 * the part it changes. Each part's version enters the fingerprint of every stage the part applies
 * to ({@code Fingerprints}), so exactly those stages train again, with the stages that learn from
 * them; a chain whose stages the change does not touch keeps its results.
 *
 * <p>Version 1 of every part is the trainer as it was before parts were versioned, and adds
 * nothing to a fingerprint: introducing the versions retrained nothing.
 */
public enum TrainerRecipe {

    /** Every stage that trains: data order and preprocessing, initialisation, optimiser, schedule, evaluation. */
    TRAINING(1),
    /** Stages with a teacher: the teacher's logits and the distillation loss. */
    DISTILLATION(1),
    /** Stages that load a pretrained checkpoint and evaluate it instead of training. */
    PRETRAINED(1),
    /** The plain-cnn networks. */
    PLAIN_CNN(1),
    /** The CIFAR ResNets. */
    RESNET(1),
    /** A network loaded from a TorchScript file: its loading, input checks and saving. */
    TORCHSCRIPT(1);

    /** The version that adds nothing to a fingerprint. */
    static final int UNVERSIONED = 1;

    private final int version;

    TrainerRecipe(int version) {
        this.version = version;
    }

    public int version() {
        return version;
    }

    /** The parts that decide how {@code stage} trains. */
    static TrainerRecipe[] partsOf(StageSpec stage) {
        TrainerRecipe network = switch (stage.getModel().getArchitecture()) {
            case PLAIN_CNN -> PLAIN_CNN;
            case RESNET -> RESNET;
            case TORCHSCRIPT -> TORCHSCRIPT;
        };
        if (stage.getPretrained() != null) {
            return new TrainerRecipe[] {PRETRAINED, network};
        }
        return stage.getTeacher() == null ? new TrainerRecipe[] {TRAINING, network} : new TrainerRecipe[] {TRAINING, DISTILLATION, network};
    }

    /** What enters {@code stage}'s fingerprint: its parts whose version is past 1, by lower-case name; usually empty. */
    public static Map<String, Integer> versionsFor(StageSpec stage) {
        return versionsFor(stage, TrainerRecipe::version);
    }

    /** As {@link #versionsFor(StageSpec)}, with the versions {@code version} gives (tests try a bump with it). */
    public static Map<String, Integer> versionsFor(StageSpec stage, ToIntFunction<TrainerRecipe> version) {
        Map<String, Integer> versions = new TreeMap<>();
        for (TrainerRecipe part : partsOf(stage)) {
            int v = version.applyAsInt(part);
            if (v != UNVERSIONED) {
                versions.put(part.name().toLowerCase(Locale.ROOT), v);
            }
        }
        return versions;
    }
}
