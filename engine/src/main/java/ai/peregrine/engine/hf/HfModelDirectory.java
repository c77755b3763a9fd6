package ai.peregrine.engine.hf;

import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.tokenizer.hf.HfTokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a Hugging Face model directory as the engine's GGUF view: {@link HfCheckpoint} with the tokenizer metadata
 * {@link HfTokenizerFiles} makes of tokenizer.json and its companions.
 */
public final class HfModelDirectory {
    private HfModelDirectory() {}

    /** Whether {@code path} looks like a Hugging Face model directory (it has a config.json). */
    public static boolean is(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(HfConfig.FILE));
    }

    public static HfCheckpoint open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "model directory not found");
        if (!is(dir)) {
            throw new CheckpointFormatException(dir + " is a directory without config.json; a Hugging Face model directory"
                    + " holds config.json, model.safetensors (or its shards and index) and tokenizer.json");
        }
        HfConfig.read(dir); // an unsupported model is refused before its tokenizer is read
        return HfCheckpoint.open(dir, tokenizer(dir));
    }

    /** The {@code tokenizer.*} metadata llama.cpp's converter would write for the directory's tokenizer files. */
    static Map<String, GgufValue> tokenizer(Path dir) {
        return HfTokenizerFiles.toGgufMetadata(dir).entries();
    }
}
