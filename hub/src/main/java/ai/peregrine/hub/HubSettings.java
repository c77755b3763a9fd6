package ai.peregrine.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the hub is, where its cache lives, the token and whether to stay offline, read from the environment
 * variables huggingface_hub reads, with the same defaults, so Peregrine and Python tools share one cache:
 * {@code HF_ENDPOINT} (https://huggingface.co), {@code HF_HUB_CACHE} (legacy {@code HUGGINGFACE_HUB_CACHE}; default
 * {@code $HF_HOME/hub}, {@code HF_HOME} defaulting to {@code $XDG_CACHE_HOME/huggingface} or
 * {@code ~/.cache/huggingface}), {@code HF_TOKEN} (legacy {@code HUGGING_FACE_HUB_TOKEN}), else the token file
 * {@code huggingface-cli login} writes ({@code HF_TOKEN_PATH}, default {@code $HF_HOME/token}), and
 * {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) = 1/ON/YES/TRUE, and {@code HF_HUB_DOWNLOAD_TIMEOUT}: seconds a
 * file transfer may go without receiving a byte before the connection is dropped and the transfer resumed (10).
 */
public record HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline, Duration downloadTimeout) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        if (endpoint == null) throw new IllegalArgumentException("no hub endpoint");
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, got '" + endpoint + "'");
        }
        token = token.filter(t -> !t.isBlank()).map(String::strip);
        if (downloadTimeout == null || downloadTimeout.isNegative() || downloadTimeout.isZero()) {
            throw new IllegalArgumentException("the download timeout must be positive, got " + downloadTimeout);
        }
    }

    public HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline) {
        this(endpoint, cacheDir, token, offline, DEFAULT_DOWNLOAD_TIMEOUT);
    }

    public static HubSettings fromEnvironment(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        Path hfHome = path(env, "HF_HOME").orElseGet(() ->
                path(env, "XDG_CACHE_HOME").orElse(home.resolve(".cache")).resolve("huggingface"));
        Path cache = path(env, "HF_HUB_CACHE").or(() -> path(env, "HUGGINGFACE_HUB_CACHE")).orElse(hfHome.resolve("hub"));
        String endpoint = value(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT).replaceAll("/+$", "");
        Optional<String> token = value(env, "HF_TOKEN").or(() -> value(env, "HUGGING_FACE_HUB_TOKEN"))
                .or(() -> readTokenFile(path(env, "HF_TOKEN_PATH").orElse(hfHome.resolve("token"))));
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        Duration timeout = value(env, "HF_HUB_DOWNLOAD_TIMEOUT").map(HubSettings::seconds).orElse(DEFAULT_DOWNLOAD_TIMEOUT);
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HF_ENDPOINT is not a URL: '" + endpoint + "'");
        }
        return new HubSettings(uri, cache, token, offline, timeout);
    }

    private static Duration seconds(String v) {
        try {
            double s = Double.parseDouble(v);
            if (s > 0 && s <= Integer.MAX_VALUE) return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("HF_HUB_DOWNLOAD_TIMEOUT must be a positive number of seconds, got '" + v + "'");
    }

    public HubSettings withCacheDir(Path dir) {
        return dir == null ? this : new HubSettings(endpoint, dir, token, offline, downloadTimeout);
    }

    public HubSettings withToken(String t) {
        return t == null ? this : new HubSettings(endpoint, cacheDir, Optional.of(t), offline, downloadTimeout);
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token=" + (token.isPresent() ? "set" : "none")
                + ", offline=" + offline + ", downloadTimeout=" + downloadTimeout + "]";
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE.contains(v.strip().toUpperCase(Locale.ROOT));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        return value(env, name).map(v -> v.startsWith("~/") ? Path.of(System.getProperty("user.home"), v.substring(2)) : Path.of(v));
    }

    private static Optional<String> readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).strip();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hub token file " + file, e);
        }
    }
}
