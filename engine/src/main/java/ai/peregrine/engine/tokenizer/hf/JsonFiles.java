package ai.peregrine.engine.tokenizer.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading the JSON files of a Hugging Face model directory, with errors that name the file. */
final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {}

    /** The file's JSON object, or empty when the file does not exist. */
    static Optional<JsonNode> readOptional(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) throw new HfFormatException(file + ": not a JSON object");
            return Optional.of(node);
        } catch (JsonProcessingException e) {
            throw new HfFormatException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code node.get(field)}, or a missing node; never null. */
    static JsonNode field(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null ? MissingNode.getInstance() : v;
    }

    static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    /** The compact JSON text of a node, for error messages (cut to a readable length). */
    static String brief(JsonNode node) {
        String s = node == null ? "null" : node.toString();
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
