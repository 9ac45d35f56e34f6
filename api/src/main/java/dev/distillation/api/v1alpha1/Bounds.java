package dev.distillation.api.v1alpha1;

/**
 * Every bound and every default of a DistillationChain, stated once. The spec classes' schema
 * annotations ({@code @Min}, {@code @Max}, {@code @Size}, {@code @Pattern}, {@code @Default}) and
 * their descriptions use these constants, so the generated CRD carries them; code reads a field's
 * bounds back from its annotations ({@code dev.distillation.api.validation.SpecField}) and its
 * default from here. Integral bounds are {@code int} so descriptions print them as users write them.
 */
public final class Bounds {

    private Bounds() {}

    // ---- names ------------------------------------------------------------------------------
    /** A DNS label: chain, stage and teacher names. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /** A DNS subdomain: PersistentVolumeClaim names. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A folder inside a volume. */
    public static final String ABSOLUTE_PATH = "^/.*$";
    /** Longest stage name. */
    public static final int STAGE_NAME_MAX = 20;
    /** Longest chain name: chain + "-" + stage (at most {@link #STAGE_NAME_MAX}) + "-a" + attempt stays a DNS label. */
    public static final int CHAIN_NAME_MAX = 36;

    // ---- Kubernetes syntax, as the API server checks it on a Pod or volume ---------------------
    // Regular expressions both Java and the CRD's CEL rules use (RE2-compatible, no backslashes).
    /** A label key or other qualified name: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static final String QUALIFIED_NAME = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
    /** A qualified name's longest form: a 253-character prefix, '/', a 63-character name. */
    public static final int QUALIFIED_NAME_MAX = 317;
    /** Longest prefix of a qualified name (a DNS subdomain). */
    public static final int QUALIFIED_NAME_PREFIX_MAX = 253;
    /** A label value: empty, or at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit. */
    public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$";
    public static final int LABEL_VALUE_MAX = 63;
    /** Longest DNS subdomain: PriorityClass, StorageClass and PersistentVolumeClaim names. */
    public static final int DNS_SUBDOMAIN_MAX = 253;
    /**
     * A container image reference, as the image's registry and Docker's reference grammar define it:
     * {@code [host[:port]/]path[:tag][@algorithm:hex]}, path components lower-case.
     */
    public static final String IMAGE_REFERENCE = "^(([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9])([.]([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]))*"
            + "(:[0-9]+)?/)?[a-z0-9]+(([._]|__|[-]+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|[-]+)[a-z0-9]+)*)*"
            + "(:[0-9A-Za-z_][-0-9A-Za-z_.]{0,127})?(@[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$";
    /** Longest image reference accepted (a 255-character name, a tag and a sha512 digest fit). */
    public static final int IMAGE_REFERENCE_MAX = 512;
    /**
     * The CEL rule of a quantity that must be greater than 0: an integer, or a string Kubernetes
     * parses as a quantity ({@code isQuantity}, Kubernetes 1.29+).
     */
    public static final String POSITIVE_QUANTITY_RULE =
            "type(self) == int ? self > 0 : isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))";
    /** Most node-selector entries and tolerations a chain may list. */
    public static final int NODE_SELECTOR_MAX = 32;
    public static final int TOLERATIONS_MAX = 32;

    // ---- chain ------------------------------------------------------------------------------
    public static final int STAGES_MIN = 1;
    public static final int STAGES_MAX = 32;
    public static final int PARALLELISM_MIN = 1;
    public static final int PARALLELISM_MAX = STAGES_MAX;
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int BACKOFF_LIMIT_MIN = 0;
    public static final int BACKOFF_LIMIT_MAX = 10;
    public static final int DEFAULT_BACKOFF_LIMIT = 2;
    public static final int DISRUPTION_LIMIT_MIN = 0;
    public static final int DISRUPTION_LIMIT_MAX = 100;
    public static final int DEFAULT_DISRUPTION_LIMIT = 5;
    public static final boolean DEFAULT_SUSPEND = false;

    // ---- trainer Pod and storage --------------------------------------------------------------
    public static final int GPU_MIN = 0;
    public static final int GPU_MAX = 16;
    public static final int DEFAULT_GPU = 1;
    /**
     * CPU and memory a trainer Pod requests, and is limited to, when its chain sets none; the
     * operator's settings (trainerCpu, trainerMemory) start from these. A plain-cnn-10 stage on
     * Fashion-MNIST peaks at 716 MiB RSS, and the trainer's heap takes at most half the limit.
     */
    public static final String DEFAULT_TRAINER_CPU = "2";
    public static final String DEFAULT_TRAINER_MEMORY = "4Gi";
    public static final String DEFAULT_STORAGE_SIZE = "2Gi";
    /**
     * Wire value of an {@link AccessMode}: what every storage class offers. A volume attaches to one node at
     * a time; the operator places the Pods that mount it accordingly.
     */
    public static final String DEFAULT_ACCESS_MODE = "ReadWriteOnce";
    /** The default access modes as the CRD's schema default (a JSON list). */
    public static final String DEFAULT_ACCESS_MODES = "[\"" + DEFAULT_ACCESS_MODE + "\"]";
    /** ReadWriteOnce, ReadWriteMany, ReadOnlyMany. */
    public static final int ACCESS_MODES_MAX = 3;
    /**
     * Wire value of a {@link Retain}: the models at the ends of the chain's paths (the students and
     * baselines) outlive it; the intermediate checkpoints, which those models already distil, go with it.
     */
    public static final String DEFAULT_RETAIN = "Final";
    /** Folder inside a dataset or pretrained-checkpoint volume. */
    public static final String DEFAULT_VOLUME_PATH = "/";

    // ---- validation split ------------------------------------------------------------
    /** Training images held out as the validation split. */
    public static final int VALIDATION_SIZE_MIN = 1;
    public static final int VALIDATION_SIZE_MAX = 1_000_000;
    public static final int VALIDATION_SEED_MIN = 0;
    public static final long DEFAULT_VALIDATION_SEED = 1;

    // ---- candidates ---------------------------------------------------------------------------
    /** Values one candidate list (models, temperature, alpha) may hold. */
    public static final int CANDIDATE_VALUES_MAX = 8;
    /** Combinations of candidate values one stage may train. */
    public static final int CANDIDATES_MAX = 32;
    /**
     * Longest name of a stage's candidate ({@code <stage>-d<depth>-w<width>[-t<T>-a<alpha>]}): it is the
     * value of the distillation.dev/stage label on the candidate's Pod and volume, which Kubernetes limits to 63.
     */
    public static final int CANDIDATE_NAME_MAX = 63;

    // ---- model --------------------------------------------------------------------------------
    /** Smallest depth of any architecture (plain-cnn's); the schema's lower bound. */
    public static final int DEPTH_MIN = 2;
    /** Largest depth of any architecture (resnet's); the schema's upper bound. */
    public static final int DEPTH_MAX = 110;
    /** plain-cnn depths, as CEL list and message text; {@link Architecture#PLAIN_CNN} reads them from here. */
    public static final String PLAIN_CNN_DEPTHS = "2, 4, 6, 8, 10";
    /** resnet depths are 6n+2 from here to {@link #DEPTH_MAX}. */
    public static final int RESNET_DEPTH_MIN = 8;
    /** Exclusive lower bound. */
    public static final int WIDTH_ABOVE = 0;
    public static final int WIDTH_MAX = 8;
    public static final double DEFAULT_WIDTH = 1.0;
    /** A TorchScript model's declared input: channels, and height and width in pixels. */
    public static final int INPUT_CHANNELS_MIN = 1;
    public static final int INPUT_CHANNELS_MAX = 4;
    public static final int INPUT_SIZE_MIN = 1;
    public static final int INPUT_SIZE_MAX = 4096;
    /** Exclusive lower bound of a declared per-channel standard deviation. */
    public static final int INPUT_STD_ABOVE = 0;
    /** A TorchScript model's declared number of classes (output logits). */
    public static final int CLASSES_MIN = 2;
    public static final int CLASSES_MAX = 100000;

    // ---- training -----------------------------------------------------------------------------
    public static final int EPOCHS_MIN = 1;
    public static final int EPOCHS_MAX = 10000;
    public static final int DEFAULT_EPOCHS = 30;
    public static final int BATCH_SIZE_MIN = 1;
    public static final int BATCH_SIZE_MAX = 65536;
    public static final int DEFAULT_BATCH_SIZE = 128;
    /** Wire value of an {@link Optimizer}. */
    public static final String DEFAULT_OPTIMIZER = "sgd";
    /** Exclusive lower bound. */
    public static final int LEARNING_RATE_ABOVE = 0;
    public static final int LEARNING_RATE_MAX = 10;
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final int MOMENTUM_MIN = 0;
    /** Exclusive upper bound. */
    public static final int MOMENTUM_BELOW = 1;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final int WEIGHT_DECAY_MIN = 0;
    public static final int WEIGHT_DECAY_MAX = 1;
    public static final double DEFAULT_WEIGHT_DECAY = 5.0e-4;
    /** Wire value of a {@link LearningRateSchedule}. */
    public static final String DEFAULT_LR_SCHEDULE = "cosine";
    public static final int LR_STEP_EPOCHS_MIN = 1;
    public static final int DEFAULT_LR_STEP_EPOCHS = 10;
    /** Exclusive lower bound. */
    public static final int LR_GAMMA_ABOVE = 0;
    public static final int LR_GAMMA_MAX = 1;
    public static final double DEFAULT_LR_GAMMA = 0.1;
    /** Exclusive lower bound. */
    public static final int TEMPERATURE_ABOVE = 0;
    public static final int TEMPERATURE_MAX = 100;
    public static final double DEFAULT_TEMPERATURE = 4.0;
    public static final int ALPHA_MIN = 0;
    public static final int ALPHA_MAX = 1;
    public static final double DEFAULT_ALPHA = 0.9;
    public static final int WARMUP_EPOCHS_MIN = 0;
    public static final int WARMUP_EPOCHS_MAX = 100;
    public static final double DEFAULT_WARMUP_EPOCHS = 0.25;
    public static final int GRADIENT_CLIP_NORM_MIN = 0;
    public static final int GRADIENT_CLIP_NORM_MAX = 1000;
    public static final double DEFAULT_GRADIENT_CLIP_NORM = 5.0;
    public static final int SEED_MIN = 0;
    public static final long DEFAULT_SEED = 1;
    public static final boolean DEFAULT_AUGMENT = false;
    /** A stage trains on at least two images (BatchNorm cannot normalise a batch of one). */
    public static final int TRAIN_SAMPLES_MIN = 2;
}
