package ai.peregrine.server;

import ai.peregrine.engine.hf.HfModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where the model comes from, in order: an explicit --model; HF_MODEL_ID when it names a local file or
 * directory; SageMaker's {@code /opt/ml/model} when it holds a Hugging Face checkpoint (config.json) or a .gguf;
 * HF_MODEL_ID as a hub id, through the caller's hub resolver (the CLI downloads it into the Hugging Face cache);
 * otherwise none (the demo model).
 */
public final class ModelLocator {
    public static final Path SAGEMAKER_MODEL_DIR = Path.of("/opt/ml/model");

    private ModelLocator() {}

    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path sagemakerDir) {
        return locate(explicit, env, sagemakerDir, id -> Optional.empty());
    }

    /** As above, with {@code hub} turning a hub id into a local folder (empty when the id is not one). */
    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path sagemakerDir,
            Function<String, Optional<Path>> hub) {
        if (explicit != null) return Optional.of(ggufIn(explicit));
        String hfModelId = env.get("HF_MODEL_ID");
        if (hfModelId != null && !hfModelId.isBlank() && Files.exists(Path.of(hfModelId))) {
            return Optional.of(ggufIn(Path.of(hfModelId)));
        }
        if (HfModelDirectory.is(sagemakerDir)) return Optional.of(sagemakerDir);
        if (Files.isDirectory(sagemakerDir) && firstGguf(sagemakerDir).isPresent()) {
            return firstGguf(sagemakerDir);
        }
        if (hfModelId != null && !hfModelId.isBlank()) {
            Optional<Path> fromHub = hub.apply(hfModelId.strip());
            if (fromHub.isPresent()) return fromHub;
            throw new IllegalArgumentException("HF_MODEL_ID=" + hfModelId + " is neither a local path, nor mounted under "
                    + sagemakerDir + ", nor a hub model id (ORG/NAME); pass --model FILE.gguf or a hub id");
        }
        return Optional.empty();
    }

    /** A .gguf file or a Hugging Face model directory (config.json) as given, else the first .gguf (by name) in a directory. */
    public static Path ggufIn(Path p) {
        if (!Files.isDirectory(p) || HfModelDirectory.is(p)) return p;
        return firstGguf(p).orElseThrow(() -> new IllegalArgumentException("no .gguf file in " + p));
    }

    private static Optional<Path> firstGguf(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(f))
                    .sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
