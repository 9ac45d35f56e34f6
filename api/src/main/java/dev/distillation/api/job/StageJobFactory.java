package dev.distillation.api.job;

import dev.distillation.api.v1alpha1.DatasetSpec;
import dev.distillation.api.v1alpha1.DistillationChainSpec;
import dev.distillation.api.v1alpha1.StageSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;

/**
 * Builds the StageJob for one stage of a validated chain. The operator and the local runner both
 * call it; they differ only in the {@link Paths} (Pod mounts versus folders under a work dir).
 */
public final class StageJobFactory {

    /** Where a Pod sees its teacher's checkpoint. */
    public static final String POD_TEACHER_DIR = "/teacher";
    /** Where a Pod writes its outputs. */
    public static final String POD_OUTPUT_DIR = "/output";
    /** Where a Pod sees a dataset volume. */
    public static final String POD_DATA_DIR = "/data";
    /** Where a Pod sees a pretrained checkpoint volume. */
    public static final String POD_PRETRAINED_DIR = "/pretrained";
    /** Where a Pod sees the volume holding its model's TorchScript file ({@code model.torchscript}). */
    public static final String POD_MODEL_DIR = "/model";
    /**
     * The folder inside a stage's output where the trainer leaves the stage's model exported for serving
     * (TorchScript with its description); the operator reports it on the stage's status.
     */
    public static final String EXPORT_DIR = "export";

    private StageJobFactory() {}

    /**
     * Paths as the trainer will see them.
     *
     * @param teacherDir    the teacher stage's output folder (ignored for stages without teacher)
     * @param outputDir     this stage's output folder
     * @param dataDir       the folder a volume dataset is mounted at (ignored for builtin datasets)
     * @param pretrainedDir the folder (or TorchScript file) a pretrained checkpoint is at (ignored unless the stage has one)
     * @param modelFile     the TorchScript file the stage's model.torchscript names (ignored unless it names one)
     */
    public record Paths(String teacherDir, String outputDir, String dataDir, String pretrainedDir, String modelFile) {

        /** Paths of a stage without a TorchScript file of its own. */
        public Paths(String teacherDir, String outputDir, String dataDir, String pretrainedDir) {
            this(teacherDir, outputDir, dataDir, pretrainedDir, null);
        }

        /** The paths inside a stage Pod. */
        public static Paths inPod(DistillationChainSpec spec, StageSpec stage) {
            String pretrained = stage.getPretrained() == null ? null
                    : join(POD_PRETRAINED_DIR, stage.getPretrained().effectivePath());
            String data = spec.getDataset().getVolume() == null ? null
                    : join(POD_DATA_DIR, spec.getDataset().getVolume().effectivePath());
            String model = stage.getModel().getTorchscript() == null ? null
                    : join(POD_MODEL_DIR, stage.getModel().getTorchscript().getPath());
            return new Paths(POD_TEACHER_DIR, POD_OUTPUT_DIR, data, pretrained, model);
        }
    }

    public static StageJob create(DistillationChainSpec spec, String chainName, String stageName,
                                  String fingerprint, Paths paths) {
        StageSpec stage = spec.getStages().stream().filter(s -> stageName.equals(s.getName())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named '" + stageName + "'"));
        return create(spec, chainName, stage, fingerprint, paths);
    }

    /** The job of {@code stage}: a stage of {@code spec}, or one of a stage's candidates ({@code Candidates}). */
    public static StageJob create(DistillationChainSpec spec, String chainName, StageSpec stage, String fingerprint, Paths paths) {
        String stageName = stage.getName();
        return new StageJob(
                StageJob.API_VERSION,
                chainName,
                stageName,
                fingerprint,
                StageJobModel.of(stage.getModel(), paths.modelFile()),
                StageJobTraining.of(spec.resolvedTraining(stage)),
                datasetLocation(spec.getDataset(), paths.dataDir()),
                stage.getTeacher() == null ? null : paths.teacherDir(),
                stage.getPretrained() == null ? null : paths.pretrainedDir(),
                paths.outputDir(),
                null,
                validation(spec.getDataset()));
    }

    /** The chain's validation split as the trainer receives it (its seed resolved), or null when it has none. */
    public static StageJob.Validation validation(DatasetSpec dataset) {
        ValidationSplit v = dataset.getValidation();
        return v == null ? null : new StageJob.Validation(v.getSize(), v.effectiveSeed());
    }

    public static StageJob.DatasetLocation datasetLocation(DatasetSpec dataset, String dataDir) {
        if (dataset.getBuiltin() != null) {
            return new StageJob.DatasetLocation(dataset.getBuiltin().value(), dataset.getBuiltin().format().value(), null);
        }
        return new StageJob.DatasetLocation(null, dataset.getVolume().getFormat().value(), dataDir);
    }

    private static String join(String mount, String sub) {
        String s = sub == null || sub.equals("/") ? "" : (sub.startsWith("/") ? sub : "/" + sub);
        return (mount + s).replaceAll("/+$", "");
    }
}
