package dev.distillation.api.validation;

import dev.distillation.api.v1alpha1.Bounds;
import dev.distillation.api.v1alpha1.BuiltinDataset;
import dev.distillation.api.v1alpha1.DatasetSpec;
import dev.distillation.api.v1alpha1.DistillationChain;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.ResourcesSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
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
 * Numeric bounds are read from the spec classes' schema annotations ({@link SpecField}).
 */
public final class ChainValidator {

    private static final Pattern DNS_LABEL = Pattern.compile(Bounds.DNS_LABEL);

    private final List<ValidationError> errors = new ArrayList<>();
    private final FieldChecks checks = new FieldChecks(this::error);
    private final ModelValidator models = new ModelValidator(this::error, checks);

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
            if (name.length() > Bounds.CHAIN_NAME_MAX) {
                error("metadata.name", "must be at most " + Bounds.CHAIN_NAME_MAX
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
        if (spec.getTrainer() != null && spec.getTrainer().getResources() != null) {
            checks.bounds("spec.trainer.resources", ResourcesSpec.class, spec.getTrainer().getResources());
        }
        PodSettingsValidator podSettings = new PodSettingsValidator(this::error);
        podSettings.trainer(spec.getTrainer());
        podSettings.storage(spec.getStorage());
        training("spec.training", spec.getTraining());
        checks.bounds("spec", DistillationChainSpec.class, spec);
        stages(spec.getStages(), spec.getDataset() == null ? null : spec.getDataset().getBuiltin());
        if (errors.isEmpty() && spec.getStages().stream().anyMatch(s -> s.getCandidates() != null)) {
            new CandidatesValidator(this::error).stages(spec);
        }
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
            checks.claimName("spec.dataset.volume.claimName", dataset.getVolume().getClaimName());
            checks.absolutePath("spec.dataset.volume.path", dataset.getVolume().getPath());
            if (dataset.getVolume().getFormat() == null) {
                error("spec.dataset.volume.format", "required: one of idx, cifar10, cifar100, image-folder");
            }
        }
        if (dataset.getValidation() != null) {
            if (dataset.getValidation().getSize() == null) {
                error("spec.dataset.validation.size", "required: how many training images to hold out (e.g. 5000)");
            }
            checks.bounds("spec.dataset.validation", ValidationSplit.class, dataset.getValidation());
        }
    }

    private void stages(List<StageSpec> stages, BuiltinDataset builtin) {
        if (stages == null || stages.isEmpty()) {
            error("spec.stages", "at least one stage is required");
            return;
        }
        if (stages.size() > Bounds.STAGES_MAX) {
            error("spec.stages", "at most " + Bounds.STAGES_MAX + " stages are allowed (found " + stages.size() + ")");
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
                if (name.length() > Bounds.STAGE_NAME_MAX) {
                    error(path + ".name", "must be at most " + Bounds.STAGE_NAME_MAX + " characters (found " + name.length() + ")");
                }
                if (!DNS_LABEL.matcher(name).matches()) {
                    error(path + ".name", "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit");
                }
                if (index.putIfAbsent(name, i) != null) {
                    error(path + ".name", "stage names must be unique: '" + name + "' is also spec.stages[" + index.get(name) + "]");
                }
            }
            models.stage(path, stage, builtin);
            teacher(path + ".teacher", stage, stages, index);
            training(path + ".training", stage.getTraining());
            if (stage.getPretrained() != null) {
                checks.claimName(path + ".pretrained.claimName", stage.getPretrained().getClaimName());
                checks.absolutePath(path + ".pretrained.path", stage.getPretrained().getPath());
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

    private void training(String path, TrainingSpec t) {
        if (t != null) {
            checks.bounds(path, TrainingSpec.class, t);
        }
    }
}
