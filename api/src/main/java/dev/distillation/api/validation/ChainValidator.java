package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.DatasetSpec;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ModelSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.TrainingSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The semantic rules of a DistillationChain, in plain Java: the same rules the CRD schema and its
 * CEL expressions enforce at {@code kubectl apply}, checked again for the local runner (which has
 * no API server) and by the operator as a second line of defence. Every error names the field path.
 */
public final class ChainValidator {

    private static final Pattern DNS_LABEL = Pattern.compile(StageSpec.NAME_PATTERN);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");

    private final List<ValidationError> errors = new ArrayList<>();

    private ChainValidator() {}

    /** Every problem found, in field order; empty when the chain is valid. */
    public static List<ValidationError> validate(DistillationChain chain) {
        ChainValidator v = new ChainValidator();
        v.chain(chain);
        return List.copyOf(v.errors);
    }

    private void error(String path, String message) {
        errors.add(new ValidationError(path, message));
    }

    private void chain(DistillationChain chain) {
        String name = chain.getMetadata() == null ? null : chain.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            error("metadata.name", "required");
        } else {
            if (name.length() > DistillationChain.MAX_NAME_LENGTH) {
                error("metadata.name", "must be at most " + DistillationChain.MAX_NAME_LENGTH
                        + " characters, so that the names of its stage Pods and volumes stay valid (found " + name.length() + ")");
            }
            if (!DNS_LABEL.matcher(name).matches()) {
                error("metadata.name", "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit");
            }
        }
        DistillationChainSpec spec = chain.getSpec();
        if (spec == null) {
            error("spec", "required");
            return;
        }
        dataset(spec.getDataset());
        if (spec.getTrainer() != null) {
            resources(spec.getTrainer().getResources());
        }
        training("spec.training", spec.getTraining());
        range("spec.parallelism", spec.getParallelism(), 1, DistillationChainSpec.MAX_STAGES);
        range("spec.backoffLimit", spec.getBackoffLimit(), 0, 10);
        stages(spec.getStages());
    }

    private void dataset(DatasetSpec dataset) {
        if (dataset == null) {
            error("spec.dataset", "required: set 'builtin' (e.g. fashion-mnist) or 'volume'");
            return;
        }
        if ((dataset.getBuiltin() == null) == (dataset.getVolume() == null)) {
            error("spec.dataset", "dataset needs exactly one source: either 'builtin' or 'volume'");
        }
        if (dataset.getVolume() != null) {
            claimName("spec.dataset.volume.claimName", dataset.getVolume().getClaimName());
            absolutePath("spec.dataset.volume.path", dataset.getVolume().getPath());
            if (dataset.getVolume().getFormat() == null) {
                error("spec.dataset.volume.format", "required: one of idx, cifar10, cifar100, image-folder");
            }
        }
    }

    private void resources(ResourcesSpec resources) {
        if (resources != null) {
            range("spec.trainer.resources.gpu", resources.getGpu(), 0, 16);
        }
    }

    private void stages(List<StageSpec> stages) {
        if (stages == null || stages.isEmpty()) {
            error("spec.stages", "at least one stage is required");
            return;
        }
        if (stages.size() > DistillationChainSpec.MAX_STAGES) {
            error("spec.stages", "at most " + DistillationChainSpec.MAX_STAGES + " stages are allowed (found " + stages.size() + ")");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            String path = "spec.stages[" + i + "]";
            StageSpec stage = stages.get(i);
            if (stage == null) {
                error(path, "must be a stage object");
                continue;
            }
            String name = stage.getName();
            if (name == null || name.isEmpty()) {
                error(path + ".name", "required");
            } else {
                if (name.length() > StageSpec.MAX_NAME_LENGTH) {
                    error(path + ".name", "must be at most " + StageSpec.MAX_NAME_LENGTH + " characters (found " + name.length() + ")");
                }
                if (!DNS_LABEL.matcher(name).matches()) {
                    error(path + ".name", "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit");
                }
                if (index.putIfAbsent(name, i) != null) {
                    error(path + ".name", "stage names must be unique: '" + name + "' is also spec.stages[" + index.get(name) + "]");
                }
            }
            model(path + ".model", stage.getModel());
            teacher(path + ".teacher", stage, stages, index);
            training(path + ".training", stage.getTraining());
            if (stage.getPretrained() != null) {
                claimName(path + ".pretrained.claimName", stage.getPretrained().getClaimName());
                absolutePath(path + ".pretrained.path", stage.getPretrained().getPath());
            }
        }
    }

    /** {@code index} holds the stages before this one, so a teacher must be in it. */
    private void teacher(String path, StageSpec stage, List<StageSpec> stages, Map<String, Integer> index) {
        String teacher = stage.getTeacher();
        if (teacher == null) {
            return;
        }
        if (teacher.equals(stage.getName())) {
            error(path, "a stage cannot be its own teacher");
        } else if (!index.containsKey(teacher)) {
            boolean later = stages.stream().anyMatch(s -> s != null && teacher.equals(s.getName()));
            error(path, later
                    ? "a stage's teacher must be listed before it (stages form a forest: no cycles): '" + teacher + "' comes later"
                    : "every stage's teacher must name a stage of this chain: no stage is named '" + teacher + "'");
        }
    }

    private void model(String path, ModelSpec model) {
        if (model == null) {
            error(path, "required");
            return;
        }
        if (model.getArchitecture() == null) {
            error(path + ".architecture", "required: plain-cnn or resnet");
        }
        if (model.getDepth() == null) {
            error(path + ".depth", "required");
        } else if (model.getArchitecture() != null && !model.getArchitecture().supportsDepth(model.getDepth())) {
            error(path + ".depth", switch (model.getArchitecture()) {
                case PLAIN_CNN -> "plain-cnn depth must be one of 2, 4, 6, 8, 10 (found " + model.getDepth() + ")";
                case RESNET -> "resnet depth must be 6n+2 between 8 and 110 (8, 14, 20, 26, 32, 44, 56, 110, ...) (found " + model.getDepth() + ")";
            });
        }
        if (model.getWidth() != null && !(model.getWidth() > 0 && model.getWidth() <= 8)) {
            error(path + ".width", "must be greater than 0 and at most 8 (found " + model.getWidth() + ")");
        }
    }

    private void training(String path, TrainingSpec t) {
        if (t == null) {
            return;
        }
        range(path + ".epochs", t.getEpochs(), 1, 10000);
        range(path + ".batchSize", t.getBatchSize(), 1, 65536);
        if (t.getLearningRate() != null && !(t.getLearningRate() > 0 && t.getLearningRate() <= 10)) {
            error(path + ".learningRate", "must be greater than 0 and at most 10 (found " + t.getLearningRate() + ")");
        }
        if (t.getMomentum() != null && !(t.getMomentum() >= 0 && t.getMomentum() < 1)) {
            error(path + ".momentum", "must be at least 0 and less than 1 (found " + t.getMomentum() + ")");
        }
        closedRange(path + ".weightDecay", t.getWeightDecay(), 0, 1);
        range(path + ".lrStepEpochs", t.getLrStepEpochs(), 1, Integer.MAX_VALUE);
        if (t.getLrGamma() != null && !(t.getLrGamma() > 0 && t.getLrGamma() <= 1)) {
            error(path + ".lrGamma", "must be greater than 0 and at most 1 (found " + t.getLrGamma() + ")");
        }
        if (t.getTemperature() != null && !(t.getTemperature() > 0 && t.getTemperature() <= 100)) {
            error(path + ".temperature", "must be greater than 0 and at most 100 (found " + t.getTemperature() + ")");
        }
        closedRange(path + ".alpha", t.getAlpha(), 0, 1);
        if (t.getSeed() != null && t.getSeed() < 0) {
            error(path + ".seed", "must be at least 0 (found " + t.getSeed() + ")");
        }
    }

    private void range(String path, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            error(path, max == Integer.MAX_VALUE
                    ? "must be at least " + min + " (found " + value + ")"
                    : "must be between " + min + " and " + max + " (found " + value + ")");
        }
    }

    private void closedRange(String path, Double value, double min, double max) {
        if (value != null && !(value >= min && value <= max)) {
            error(path, "must be between " + min + " and " + max + " (found " + value + ")");
        }
    }

    private void claimName(String path, String claim) {
        if (claim == null || claim.isEmpty()) {
            error(path, "required: the name of a PersistentVolumeClaim in the chain's namespace");
        } else if (!DNS_SUBDOMAIN.matcher(claim).matches()) {
            error(path, "'" + claim + "' is not a valid PersistentVolumeClaim name");
        }
    }

    private void absolutePath(String path, String value) {
        if (value != null && !value.startsWith("/")) {
            error(path, "must be an absolute path inside the volume, starting with '/' (found '" + value + "')");
        }
    }
}
