package ai.peregrine.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the model comes from, in order: an explicit --model; HF_MODEL_ID when it names a local file or
 * directory; SageMaker's {@code /opt/ml/model} when it holds a .gguf; otherwise none (the demo model). A Hub
 * id in HF_MODEL_ID cannot be downloaded here (no network), so it is an error unless a model is mounted.
 */
public final class ModelLocator {
    public static final Path SAGEMAKER_MODEL_DIR = Path.of("/opt/ml/model");

    private ModelLocator() {}

    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path sagemakerDir) {
        if (explicit != null) return Optional.of(ggufIn(explicit));
        String hfModelId = env.get("HF_MODEL_ID");
        if (hfModelId != null && !hfModelId.isBlank() && Files.exists(Path.of(hfModelId))) {
            return Optional.of(ggufIn(Path.of(hfModelId)));
        }
        if (Files.isDirectory(sagemakerDir) && firstGguf(sagemakerDir).isPresent()) {
            return firstGguf(sagemakerDir);
        }
        if (hfModelId != null && !hfModelId.isBlank()) {
            throw new IllegalArgumentException("HF_MODEL_ID=" + hfModelId + " is neither a local path nor mounted under "
                    + sagemakerDir + "; this server loads local GGUF files only (pass --model FILE.gguf)");
        }
        return Optional.empty();
    }

    /** A .gguf file as given, or the first .gguf (by name) in a directory. */
    public static Path ggufIn(Path p) {
        if (!Files.isDirectory(p)) return p;
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
