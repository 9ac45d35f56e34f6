package dev.distillation.api.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.distillation.api.v1alpha1.Architecture;
import dev.distillation.api.v1alpha1.BuiltinDataset;
import dev.distillation.api.v1alpha1.DatasetFormat;
import dev.distillation.api.v1alpha1.TrainingSpec;
import dev.distillation.api.v1alpha1.ValidationSplit;
import dev.distillation.api.validation.Range;
import dev.distillation.api.validation.SpecField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads, writes and validates {@link StageJob} documents. A document must say it is version
 * {@value StageJob#MAJOR_VERSION} of the contract: a newer major version is refused with a message
 * naming the version this code understands. Within the version, fields this code does not know are
 * ignored (a newer operator may add optional ones), and every field a trainer needs must be present
 * and within the bounds the chain's spec classes declare ({@link SpecField}). Every failure is an
 * {@link InvalidStageJobException} whose message names the field.
 */
public final class StageJobCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Pattern API_VERSION = Pattern.compile("^" + Pattern.quote(StageJob.API_VERSION_PREFIX) + "([0-9]+)$");
    private static final SpecField VALIDATION_SIZE = SpecField.of(ValidationSplit.class, "size");
    private static final SpecField VALIDATION_SEED = SpecField.of(ValidationSplit.class, "seed");

    private StageJobCodec() {}

    /** Parses and validates a StageJob from JSON text. */
    public static StageJob read(String json) throws InvalidStageJobException {
        if (json == null || json.isBlank()) {
            throw new InvalidStageJobException(null, "the document is empty");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidStageJobException(null, "not valid JSON: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")" : ""));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidStageJobException(null, "the document is " + (tree == null ? "empty" : "JSON " + tree.getNodeType())
                    + ", expected an object");
        }
        checkApiVersion(tree.get("apiVersion"));
        StageJob job;
        try {
            job = MAPPER.treeToValue(tree, StageJob.class);
        } catch (JsonMappingException e) {
            String path = path(e);
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            String problem = cause != null ? cause.getMessage() : e.getOriginalMessage();
            throw new InvalidStageJobException(path, oneLine(problem));
        } catch (JsonProcessingException e) {
            throw new InvalidStageJobException(null, oneLine(e.getOriginalMessage()));
        }
        validate(job);
        return job;
    }

    /** The version is read before anything else: a newer document may mean other things by the same field names. */
    private static void checkApiVersion(JsonNode apiVersion) throws InvalidStageJobException {
        String expected = "expected '" + StageJob.API_VERSION + "'";
        if (apiVersion == null || apiVersion.isNull()) {
            throw new InvalidStageJobException("apiVersion", "missing; " + expected);
        }
        Matcher m = API_VERSION.matcher(apiVersion.asText());
        if (!apiVersion.isTextual() || !m.matches()) {
            throw new InvalidStageJobException("apiVersion", expected + ", got " + quote(apiVersion.asText()));
        }
        int major = Integer.parseInt(m.group(1));
        if (major > StageJob.MAJOR_VERSION) {
            throw new InvalidStageJobException("apiVersion", "'" + apiVersion.asText() + "' is newer than this trainer, which reads '"
                    + StageJob.API_VERSION + "': run a trainer image as new as the operator that wrote the job");
        }
        if (major < StageJob.MAJOR_VERSION) {
            throw new InvalidStageJobException("apiVersion", "'" + apiVersion.asText() + "' is not a version of the StageJob; " + expected);
        }
    }

    /** Reads and validates the StageJob in {@code file}. */
    public static StageJob read(Path file) throws InvalidStageJobException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidStageJobException(null, "file " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidStageJobException(null, "cannot read " + file + ": " + e.getMessage());
        }
        try {
            return read(text);
        } catch (InvalidStageJobException e) {
            throw new InvalidStageJobException(e.field(), e.getMessage().replaceFirst("^invalid StageJob( field '[^']*')?: ", "")
                    + " (in " + file + ")");
        }
    }

    /** Compact JSON of {@code job} (null fields left out). */
    public static String write(StageJob job) {
        try {
            return MAPPER.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise StageJob", e);
        }
    }

    /** Checks that {@code job} can be run by a trainer: every field set and in range. */
    public static void validate(StageJob job) throws InvalidStageJobException {
        if (!StageJob.API_VERSION.equals(job.apiVersion())) {
            throw new InvalidStageJobException("apiVersion", "expected '" + StageJob.API_VERSION + "', got "
                    + quote(job.apiVersion()));
        }
        requireName("chain", job.chain());
        requireName("stage", job.stage());
        if (job.fingerprint() == null || job.fingerprint().isBlank()) {
            throw new InvalidStageJobException("fingerprint", "missing; expected the stage's fingerprint");
        }
        StageJobModelCheck.validate(job.model());
        validateTraining(job.training());
        validateDataset(job.dataset());
        if (job.outputDir() == null || job.outputDir().isBlank()) {
            throw new InvalidStageJobException("outputDir", "missing; expected the folder to write results to");
        }
        if (job.teacherDir() != null && job.teacherDir().isBlank()) {
            throw new InvalidStageJobException("teacherDir", "is empty; leave it out for a stage without a teacher");
        }
        if (job.pretrainedDir() != null && job.pretrainedDir().isBlank()) {
            throw new InvalidStageJobException("pretrainedDir", "is empty; leave it out for a stage that trains");
        }
        if (job.model().getArchitecture() == Architecture.TORCHSCRIPT && (job.model().getTorchscript() == null) == (job.pretrainedDir() == null)) {
            throw new InvalidStageJobException("model.torchscript", "a torchscript stage names its file once: model.torchscript to train "
                    + "it, or pretrainedDir to evaluate it (got " + (job.pretrainedDir() == null ? "neither" : "both") + ")");
        }
        if (job.teacherDir() != null && job.pretrainedDir() != null) {
            throw new InvalidStageJobException("pretrainedDir", "a pretrained stage loads a checkpoint and cannot also have a teacher (teacherDir is set)");
        }
        validateValidation(job.validation());
        if (job.maxTrainSamples() != null && job.maxTrainSamples() < 1) {
            throw new InvalidStageJobException("maxTrainSamples", "must be at least 1 (or left out for all), got " + job.maxTrainSamples());
        }
    }

    private static void validateValidation(StageJob.Validation v) throws InvalidStageJobException {
        if (v == null) {
            return;
        }
        if (v.size() == null) {
            throw new InvalidStageJobException("validation.size", "missing; expected how many training images to hold out");
        }
        checkRange("validation.size", v.size(), VALIDATION_SIZE.range());
        if (v.seed() == null) {
            throw new InvalidStageJobException("validation.seed", "missing; expected the seed of the held-out draw");
        }
        checkRange("validation.seed", v.seed(), VALIDATION_SEED.range());
    }

    /**
     * Every field of {@link StageJobTraining} must be set (the job carries them resolved) and within
     * the bounds of the {@link TrainingSpec} field of the same name.
     */
    private static void validateTraining(StageJobTraining t) throws InvalidStageJobException {
        if (t == null) {
            throw new InvalidStageJobException("training", "missing; a StageJob carries every hyperparameter resolved");
        }
        for (SpecField field : SpecField.of(StageJobTraining.class)) {
            Range range = SpecField.of(TrainingSpec.class, field.name()).range();
            Object value = field.get(t);
            if (value == null) {
                throw new InvalidStageJobException("training." + field.name(), "missing; expected " + expected(field.type(), range));
            }
            checkRange("training." + field.name(), value, range);
        }
    }

    static void checkRange(String path, Object value, Range range) throws InvalidStageJobException {
        if (range != null && value instanceof Number n && !range.contains(n)) {
            throw new InvalidStageJobException(path, "must be " + range.describe() + ", got " + value);
        }
    }

    static String expected(Class<?> type, Range range) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return range == null ? "a number" : "a number " + range.describe();
    }

    private static void validateDataset(StageJob.DatasetLocation d) throws InvalidStageJobException {
        if (d == null) {
            throw new InvalidStageJobException("dataset", "missing; expected {builtin, format} or {format, path}");
        }
        if ((d.builtin() == null) == (d.path() == null)) {
            throw new InvalidStageJobException("dataset", "needs exactly one of 'builtin' and 'path'");
        }
        if (d.builtin() != null) {
            try {
                BuiltinDataset.fromValue(d.builtin());
            } catch (IllegalArgumentException e) {
                throw new InvalidStageJobException("dataset.builtin", e.getMessage());
            }
        }
        if (d.format() == null) {
            throw new InvalidStageJobException("dataset.format", "missing; expected one of idx, cifar10, cifar100, image-folder");
        }
        DatasetFormat format;
        try {
            format = DatasetFormat.fromValue(d.format());
        } catch (IllegalArgumentException e) {
            throw new InvalidStageJobException("dataset.format", e.getMessage());
        }
        if (d.builtin() != null && BuiltinDataset.fromValue(d.builtin()).format() != format) {
            throw new InvalidStageJobException("dataset.format", "builtin " + d.builtin() + " is "
                    + BuiltinDataset.fromValue(d.builtin()).format() + ", got " + format);
        }
        if (d.path() != null && d.path().isBlank()) {
            throw new InvalidStageJobException("dataset.path", "is empty; expected the folder holding the dataset");
        }
    }

    private static void requireName(String field, String value) throws InvalidStageJobException {
        if (value == null || value.isBlank()) {
            throw new InvalidStageJobException(field, "missing; expected a non-empty name");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unreadable value";
        }
        return s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
