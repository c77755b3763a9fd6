package ai.peregrine.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Deployment state files, one JSON file per deployment name: {@code <dir>/<name>.json}. */
public final class StateStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    /** {@code $PEREGRINE_STATE_DIR}, else {@code ~/.peregrine/deployments}. */
    public static StateStore defaultStore() {
        String override = System.getenv("PEREGRINE_STATE_DIR");
        return new StateStore(override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".peregrine", "deployments"));
    }

    public Path dir() {
        return dir;
    }

    public Path pathOf(String name) {
        return dir.resolve(name + ".json");
    }

    public Optional<DeploymentState> load(String name) {
        Path p = pathOf(name);
        if (!Files.exists(p)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(p.toFile(), DeploymentState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deployment state " + p, e);
        }
    }

    /** Writes through a temporary file and a rename, so a crash never leaves half a state file. */
    public void save(DeploymentState state) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, state.name, ".tmp");
            JSON.writeValue(tmp.toFile(), state);
            Files.move(tmp, pathOf(state.name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write deployment state " + pathOf(state.name), e);
        }
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(pathOf(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of all recorded deployments, sorted. */
    public List<String> names() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>(files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json")).map(f -> f.substring(0, f.length() - 5)).toList());
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
