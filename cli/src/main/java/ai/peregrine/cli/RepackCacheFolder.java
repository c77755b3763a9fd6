package ai.peregrine.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where repacked Q4_0 weights are kept between runs (the engine's {@code RepackCache}): {@code $PEREGRINE_CACHE/repacked},
 * {@code PEREGRINE_CACHE} defaulting to {@code $XDG_CACHE_HOME/peregrine} or {@code ~/.cache/peregrine} (the temporary
 * folder standing in for a home the system does not know).
 */
final class RepackCacheFolder {
    private RepackCacheFolder() {}

    static Path of(Map<String, String> env) {
        Path root = nonBlank(env.get("PEREGRINE_CACHE")) != null ? Path.of(env.get("PEREGRINE_CACHE"))
                : nonBlank(env.get("XDG_CACHE_HOME")) != null ? Path.of(env.get("XDG_CACHE_HOME"), "peregrine")
                : home().resolve(".cache").resolve("peregrine");
        return root.resolve("repacked");
    }

    /** The JVM reports "?" as the home of a user the system does not list (a container without /etc/passwd). */
    private static Path home() {
        Path home = Path.of(System.getProperty("user.home"));
        return home.isAbsolute() ? home : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
