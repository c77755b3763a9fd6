package ai.peregrine.engine.tokenizer.hf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Hugging Face {@code tokenizers} (Rust, through DJL's JNI binding; the native library ships inside the jar) on a
 * tokenizer.json, with truncation and padding off: the reference our tokenizer must equal.
 */
final class HuggingFaceOracle implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        System.setProperty("offline", "true"); // DJL: never reach out to the network
        // where DJL unpacks the native library from its jar: the build directory, not ~/.djl.ai
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", Path.of("target", "djl").toAbsolutePath().toString());
        }
    }

    private final HuggingFaceTokenizer tokenizer;

    private HuggingFaceOracle(byte[] json) {
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of("truncation", "false", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HuggingFaceOracle open(Path tokenizerJson) throws IOException {
        return new HuggingFaceOracle(Files.readAllBytes(tokenizerJson));
    }

    /**
     * The same tokenizer with its special added tokens moved into the model's vocabulary (same ids; no merge makes
     * them), so that their texts are tokenized as plain text while non-special added tokens are still cut out: what
     * {@code parseSpecial = false} means (tokenizers' {@code encode_special_tokens}, which DJL does not expose).
     */
    static HuggingFaceOracle withoutSpecialTokens(Path tokenizerJson) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(tokenizerJson.toFile());
        ObjectNode vocab = (ObjectNode) root.path("model").path("vocab");
        ArrayNode kept = MAPPER.createArrayNode();
        root.withArray("added_tokens").forEach(t -> {
            if (!t.path("special").asBoolean()) kept.add(t);
            else vocab.put(t.path("content").asText(), t.path("id").asInt());
        });
        root.set("added_tokens", kept);
        return new HuggingFaceOracle(MAPPER.writeValueAsBytes(root));
    }

    int[] encode(String text, boolean addSpecialTokens) {
        return Arrays.stream(tokenizer.encode(text, addSpecialTokens, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    String decode(int[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
