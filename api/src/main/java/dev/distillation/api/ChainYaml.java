package dev.distillation.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.distillation.api.v1alpha1.DistillationChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a chain file: the same YAML users {@code kubectl apply}. Unknown fields are errors (as a
 * strict API server would report them), and every error names the file and the field path.
 */
public final class ChainYaml {

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ChainYaml() {}

    public static DistillationChain read(Path file) throws ChainFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ChainFileException(file + ": no such file");
        } catch (IOException e) {
            throw new ChainFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** @param source a name for messages, usually the file name */
    public static DistillationChain parse(String source, String text) throws ChainFileException {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ChainFileException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ChainFileException(source + ": expected a DistillationChain object (apiVersion, kind, metadata, spec)");
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!DistillationChain.KIND.equals(kind) || !DistillationChain.API_VERSION.equals(apiVersion)) {
            throw new ChainFileException(source + ": expected apiVersion: " + DistillationChain.API_VERSION
                    + " and kind: " + DistillationChain.KIND + ", found apiVersion: '" + apiVersion + "', kind: '" + kind + "'");
        }
        try {
            return YAML.treeToValue(root, DistillationChain.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ChainFileException(source + ": " + path(e) + ": unknown field '" + e.getPropertyName() + "'", e);
        } catch (InvalidFormatException e) {
            throw new ChainFileException(source + ": " + path(e) + ": '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName() + explain(e), e);
        } catch (ValueInstantiationException e) {
            // an enum's fromValue (or another creator) refused the value; its message says what is allowed
            Throwable cause = e.getCause();
            throw new ChainFileException(source + ": " + path(e) + ": "
                    + (cause instanceof IllegalArgumentException && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage()), e);
        } catch (JsonMappingException e) {
            throw new ChainFileException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ChainFileException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String explain(InvalidFormatException e) {
        Throwable cause = e.getCause();
        return cause instanceof IllegalArgumentException && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "";
    }

    /** Jackson's reference path as spec.stages[1].model.depth. */
    static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
