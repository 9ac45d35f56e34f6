package dev.distillation.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one document a trainer receives: everything needed to train (or load) and evaluate one
 * stage, with every hyperparameter resolved. The operator passes it to the stage Pod as JSON in
 * the {@value #ENV_VAR} environment variable; the local runner passes it in-process. Paths are
 * as the trainer sees them (/teacher, /output, /data in a Pod; folders under the work dir locally).
 *
 * <p>Version 1 of the contract, in classes of its own ({@link StageJobModel}, {@link StageJobTraining}),
 * not the CRD's. Within a major version a document only grows: a new field is optional, and a
 * trainer ignores fields it does not know. A newer major version is refused, naming the one the
 * trainer understands ({@link StageJobCodec}). The exit codes of a trainer are {@link TrainerExit}.
 *
 * @param apiVersion        {@value #API_VERSION}; a trainer refuses a newer major version
 * @param chain             the chain's name
 * @param stage             the stage's name
 * @param fingerprint       the stage's fingerprint (see {@code Fingerprints}); written next to its outputs
 * @param model             architecture, depth and width of the network to train
 * @param training          hyperparameters, every field set
 * @param dataset           where the data is
 * @param teacherDir        folder holding the teacher's model.params and model.json, or null for no teacher
 * @param pretrainedDir     folder holding a checkpoint to load and evaluate instead of training, or null
 * @param outputDir         folder the trainer writes model.params, model.json, metrics.json and epoch checkpoints to
 * @param maxTrainSamples   use only the first N training images (smoke runs), or null for all
 * @param validation        training images to hold out as the chain's validation split, or null to train on all
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageJob(
        String apiVersion,
        String chain,
        String stage,
        String fingerprint,
        StageJobModel model,
        StageJobTraining training,
        DatasetLocation dataset,
        String teacherDir,
        String pretrainedDir,
        String outputDir,
        Integer maxTrainSamples,
        Validation validation) {

    /** The apiVersion prefix every version shares; the major version follows it. */
    public static final String API_VERSION_PREFIX = "distillation.dev/stagejob/v";
    /** The major version of the contract these classes are. */
    public static final int MAJOR_VERSION = 1;
    public static final String API_VERSION = API_VERSION_PREFIX + MAJOR_VERSION;
    /** Environment variable holding the StageJob JSON in a stage Pod. */
    public static final String ENV_VAR = "DISTILL_STAGE_JOB";
    /**
     * Environment variable holding the port on which a stage Pod's trainer serves its progress
     * ({@code StageProgress} as JSON at {@code GET /progress}); unset or 0: none. An environment
     * variable rather than a flag, so that a trainer image that predates it still starts.
     */
    public static final String PROGRESS_PORT_ENV_VAR = "DISTILL_PROGRESS_PORT";
    /** The path the trainer serves its progress at. */
    public static final String PROGRESS_PATH = "/progress";

    /** A job without a validation split. */
    public StageJob(String apiVersion, String chain, String stage, String fingerprint, StageJobModel model,
                    StageJobTraining training, DatasetLocation dataset, String teacherDir, String pretrainedDir,
                    String outputDir, Integer maxTrainSamples) {
        this(apiVersion, chain, stage, fingerprint, model, training, dataset, teacherDir, pretrainedDir, outputDir,
                maxTrainSamples, null);
    }

    /** This job limited to the first {@code n} training images (null: all) that the validation split leaves. */
    public StageJob withMaxTrainSamples(Integer n) {
        return new StageJob(apiVersion, chain, stage, fingerprint, model, training, dataset, teacherDir,
                pretrainedDir, outputDir, n, validation);
    }

    /**
     * The validation split: {@code size} training images drawn at random with {@code seed}, held out of
     * training. Every stage of a chain gets the same values, so every stage holds out the same images.
     */
    public record Validation(Integer size, Long seed) {}

    /**
     * Where a stage's data lives.
     *
     * @param builtin a dataset shipped with the trainer (e.g. fashion-mnist), resolved by the trainer; or null
     * @param format  idx, cifar10, cifar100 or image-folder (set for builtin datasets too)
     * @param path    folder holding the files; null for a builtin dataset
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetLocation(String builtin, String format, String path) {}
}
