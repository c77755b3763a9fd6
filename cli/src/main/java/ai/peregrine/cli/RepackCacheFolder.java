package ai.peregrine.cli;

import ai.peregrine.engine.model.RepackCache;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where repacked Q4_0 weights are kept between runs (the engine's {@code RepackCache}): {@code $PEREGRINE_CACHE/repacked},
 * {@code PEREGRINE_CACHE} defaulting to {@code $XDG_CACHE_HOME/peregrine} or {@code ~/.cache/peregrine} (the temporary
 * folder standing in for a home the system does not know). Its size limit: {@code PEREGRINE_REPACK_CACHE_LIMIT}, bytes
 * or a number with K, M, G or T (binary units), 20G by default; least recently used entries make room for new ones.
 */
final class RepackCacheFolder {
    private RepackCacheFolder() {}

    static Path of(Map<String, String> env) {
        Path root = nonBlank(env.get("PEREGRINE_CACHE")) != null ? Path.of(env.get("PEREGRINE_CACHE"))
                : nonBlank(env.get("XDG_CACHE_HOME")) != null ? Path.of(env.get("XDG_CACHE_HOME"), "peregrine")
                : home().resolve(".cache").resolve("peregrine");
        return root.resolve("repacked");
    }

    static final String LIMIT_VARIABLE = "PEREGRINE_REPACK_CACHE_LIMIT";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);

    static long limit(Map<String, String> env) {
        String v = nonBlank(env.get(LIMIT_VARIABLE));
        if (v == null) return RepackCache.DEFAULT_LIMIT;
        Matcher m = SIZE.matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(LIMIT_VARIABLE + "=" + v + " is not a size: give bytes or a number with K, M, G or T (e.g. 20G)");
        }
        int shift = m.group(2).isEmpty() ? 0 : 10 * ("KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1);
        return (long) Math.min(Long.MAX_VALUE, Double.parseDouble(m.group(1)) * (1L << shift));
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
