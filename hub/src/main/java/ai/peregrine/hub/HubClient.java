package ai.peregrine.hub;

import ai.peregrine.hub.HubException.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The hub's HTTP API, as huggingface_hub calls it: model info ({@code /api/models/...}), file metadata (HEAD on
 * {@code /resolve/}, following only relative redirects so a CDN redirect is seen, not taken) and file bodies (GET
 * with {@code Range}, following redirects and dropping the token when they leave the hub's host). Error answers
 * become a {@link HubException} of the kind the hub's {@code X-Error-Code} names.
 */
public final class HubClient implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "peregrine-hub/0.1.0; java/" + Runtime.version().feature();

    private final HubSettings settings;
    private final HttpClient http;

    public HubClient(HubSettings settings) {
        this.settings = Objects.requireNonNull(settings);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT).build();
    }

    public HubSettings settings() {
        return settings;
    }

    /** The repository's files and the commit its revision points at. */
    public ModelInfo modelInfo(RepoId repo) {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + repo.owner() + "/" + repo.name() + "/revision/"
                + UrlPaths.segment(repo.revision()) + "?blobs=true");
        HttpResponse<byte[]> r = send(request(uri, true).GET().build(), HttpResponse.BodyHandlers.ofByteArray(), repo);
        for (int hop = 0; isRelativeRedirect(r) && hop < MAX_REDIRECTS; hop++) { // a renamed repository
            uri = uri.resolve(r.headers().firstValue("Location").orElseThrow());
            r = send(request(uri, true).GET().build(), HttpResponse.BodyHandlers.ofByteArray(), repo);
        }
        check(r, repo, null, new String(r.body(), StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new HubException(Kind.BAD_RESPONSE, "GET " + uri + " answered HTTP " + r.statusCode() + " instead of the model info");
        }
        try {
            return ModelInfo.fromJson(JSON.readTree(r.body()), repo);
        } catch (IOException e) {
            throw new HubException(Kind.BAD_RESPONSE, "the hub's model info for " + repo + " at " + uri + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** HEAD of one file at a commit: its ETag, size and download location. */
    public FileMetadata fileMetadata(RepoId repo, String commit, String file) {
        URI uri = resolveUri(repo, commit, file);
        for (int hop = 0; ; hop++) {
            HttpRequest req = request(uri, true).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity").build();
            HttpResponse<Void> r = send(req, HttpResponse.BodyHandlers.discarding(), repo);
            int status = r.statusCode();
            Optional<String> location = r.headers().firstValue("Location");
            if (isRelativeRedirect(r) && hop < MAX_REDIRECTS) {
                uri = uri.resolve(location.get()); // a renamed repository: same host, follow it
                continue;
            }
            check(r, repo, file, "");
            String commitHeader = r.headers().firstValue("X-Repo-Commit").orElse(null);
            if (commitHeader == null) {
                throw new HubException(Kind.BAD_RESPONSE, "HEAD " + uri + " answered without X-Repo-Commit: "
                        + settings.endpoint() + " does not look like a Hugging Face hub (check HF_ENDPOINT)");
            }
            URI asked = uri;
            String etag = r.headers().firstValue("X-Linked-Etag").or(() -> r.headers().firstValue("ETag"))
                    .map(HubClient::normalizeEtag).orElseThrow(() -> new HubException(Kind.BAD_RESPONSE,
                            "HEAD " + asked + " answered without an ETag; cannot name the cached file"));
            long size = r.headers().firstValue("X-Linked-Size").or(() -> r.headers().firstValue("Content-Length"))
                    .map(HubClient::parseSize).orElse(-1L);
            URI target = status >= 300 && status < 400 && location.isPresent() ? uri.resolve(location.get()) : uri;
            return new FileMetadata(file, commitHeader, etag, size, target);
        }
    }

    /**
     * GET of a file body from {@code offset} on ({@code Range: bytes=offset-} when above 0), following redirects;
     * the token goes only to the hub's own host. The caller checks the status (200, 206, 416) and closes the body.
     */
    public HttpResponse<InputStream> openBody(RepoId repo, String file, URI location, long offset) {
        URI uri = location;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = request(uri, sameHost(uri)).GET();
            if (offset > 0) b.header("Range", "bytes=" + offset + "-");
            HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), repo);
            int status = r.statusCode();
            Optional<String> next = r.headers().firstValue("Location");
            if (status >= 300 && status < 400 && next.isPresent() && hop < MAX_REDIRECTS) {
                closeQuietly(r.body());
                uri = uri.resolve(next.get());
                continue;
            }
            if (status >= 400 && status != 416) {
                String body;
                try (InputStream in = r.body()) {
                    body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    body = "";
                }
                check(r, repo, file, body);
            }
            return r;
        }
    }

    /** A 3xx whose Location has no host: the hub moving a renamed repository, which is followed (a CDN is not). */
    private static boolean isRelativeRedirect(HttpResponse<?> r) {
        int status = r.statusCode();
        Optional<String> location = r.headers().firstValue("Location");
        return status >= 300 && status < 400 && location.isPresent() && URI.create(location.get()).getHost() == null;
    }

    URI resolveUri(RepoId repo, String revision, String file) {
        return URI.create(settings.endpoint() + "/" + repo.owner() + "/" + repo.name() + "/resolve/"
                + UrlPaths.segment(revision) + "/" + UrlPaths.path(file));
    }

    private boolean sameHost(URI uri) {
        URI e = settings.endpoint();
        return Objects.equals(uri.getHost(), e.getHost()) && uri.getPort() == e.getPort()
                && Objects.equals(uri.getScheme(), e.getScheme());
    }

    private HttpRequest.Builder request(URI uri, boolean withToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).header("User-Agent", USER_AGENT);
        if (withToken) settings.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, RepoId repo) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new HubException(Kind.NETWORK, "cannot reach " + req.uri().getScheme() + "://" + req.uri().getAuthority()
                    + " for " + repo.id() + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(Kind.NETWORK, "interrupted while talking to " + req.uri().getAuthority(), e);
        }
    }

    /** Turns an error answer into the matching HubException; 2xx/3xx pass. */
    void check(HttpResponse<?> r, RepoId repo, String file, String body) {
        int status = r.statusCode();
        if (status < 400) return;
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String serverMessage = r.headers().firstValue("X-Error-Message").orElse(errorFromBody(body));
        String suffix = serverMessage.isBlank() ? "" : " (hub says: " + serverMessage + ")";
        String page = settings.endpoint() + "/" + repo.id();
        switch (code) {
            case "RevisionNotFound" -> throw new HubException(Kind.REVISION_NOT_FOUND, "revision '" + repo.revision()
                    + "' not found in " + repo.id() + ": use a branch, tag or commit that exists (" + status + ")" + suffix);
            case "EntryNotFound" -> throw new HubException(Kind.ENTRY_NOT_FOUND, repo.id() + " has no file '" + file
                    + "' at this revision (" + status + ")" + suffix);
            case "GatedRepo" -> throw new HubException(Kind.GATED, settings.token().isPresent()
                    ? repo.id() + " is a gated model and this token has no access to it (" + status + "): request access at "
                            + page + " with the account the token belongs to" + suffix
                    : repo.id() + " is a gated model: accept its conditions at " + page + ", then pass a token with "
                            + "--token or HF_TOKEN (" + status + ")" + suffix);
            case "RepoNotFound" -> throw repoNotFound(repo, status, suffix);
            default -> { }
        }
        if (status == 401) {
            if (settings.token().isPresent() && serverMessage.toLowerCase().contains("credentials")) {
                throw new HubException(Kind.UNAUTHORIZED, "the hub rejected the token (401)" + suffix
                        + ": check --token / HF_TOKEN");
            }
            throw repoNotFound(repo, status, suffix); // the hub answers 401 for missing and private repos alike
        }
        if (status == 403) {
            throw new HubException(Kind.UNAUTHORIZED, "access to " + repo.id() + (file == null ? "" : " file '" + file + "'")
                    + " is forbidden (403)" + suffix + ": check that the token has read access");
        }
        if (status == 404) {
            throw new HubException(file == null ? Kind.REPO_NOT_FOUND : Kind.ENTRY_NOT_FOUND, (file == null
                    ? "repository " + repo.id() : repo.id() + " file '" + file + "'") + " not found (404) at "
                    + r.request().uri() + suffix);
        }
        throw new HubException(Kind.HTTP_ERROR, r.request().method() + " " + r.request().uri() + " failed with HTTP "
                + status + suffix);
    }

    private HubException repoNotFound(RepoId repo, int status, String suffix) {
        return new HubException(Kind.REPO_NOT_FOUND, "repository " + repo.id() + " not found on " + settings.endpoint()
                + " (" + status + ")" + suffix + "; check the name, and for a private repository pass a token with access"
                + (settings.token().isPresent() ? "" : " (--token or HF_TOKEN)"));
    }

    private static String errorFromBody(String body) {
        if (body == null || body.isBlank()) return "";
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode e = n.get("error");
            return e == null ? "" : e.asText();
        } catch (IOException e) {
            return body.length() > 200 || body.contains("<html") ? "" : body.strip();
        }
    }

    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        return e.replace("\"", "");
    }

    private static long parseSize(String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String describe(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) return "timed out";
        if (e instanceof java.net.ConnectException) { // the JDK's often has no message; a cause may say more
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c.getMessage() != null && !c.getMessage().isBlank()) return "connection failed: " + c.getMessage();
            }
            return "connection failed";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        return e.getClass() == IOException.class ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /** Closes a response body whose rest is not wanted (a redirect's, a stalled transfer's). */
    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more is read from it either way
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
