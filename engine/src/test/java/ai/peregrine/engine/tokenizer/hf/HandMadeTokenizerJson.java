package ai.peregrine.engine.tokenizer.hf;

import ai.peregrine.engine.tokenizer.ByteUnicode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Small byte-level tokenizer.json files written by hand for edge cases, and in-place edits of written ones. */
final class HandMadeTokenizerJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private HandMadeTokenizerJson() {}

    /** 256 byte tokens (id = byte), then one token per merge, then {@code extra} tokens; GPT-2's ByteLevel pre-tokenizer. */
    static ObjectNode byteLevel(List<String> merges, List<String> extra) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE").put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) vocab.put(ByteUnicode.encode(new byte[] {(byte) b}), b);
        merges.forEach(m -> vocab.put(m.replace(" ", ""), vocab.size()));
        extra.forEach(t -> vocab.put(t, vocab.size()));
        merges.forEach(model.putArray("merges")::add);
        return root;
    }

    static void addToken(ObjectNode root, String content, boolean special) {
        int id = root.path("model").path("vocab").size() + root.path("added_tokens").size();
        root.withArray("added_tokens").addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", special);
    }

    static void write(ObjectNode root, Path dir) {
        try {
            MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a JSON file of {@code dir} after {@code edit}. */
    static void edit(Path dir, String file, Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(dir.resolve(file).toFile());
            edit.accept(root);
            MAPPER.writeValue(dir.resolve(file).toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
