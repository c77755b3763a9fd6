package ai.peregrine.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A local double of the Hugging Face hub's download endpoints, as huggingface_hub sees them:
 * <ul>
 * <li>{@code GET /api/models/{owner}/{name}/revision/{rev}?blobs=true}: id, sha, gated, siblings (rfilename, size,
 *     blobId, lfs {sha256, size, pointerSize});</li>
 * <li>{@code HEAD|GET /{owner}/{name}/resolve/{rev}/{file}}: X-Repo-Commit; git files answer 200 with
 *     {@code ETag: "<git blob sha1>"}; LFS files (*.safetensors, *.bin, *.gguf) answer 302 to the {@link FakeCdn}
 *     with {@code X-Linked-Etag: "<sha256>"} and {@code X-Linked-Size};</li>
 * <li>errors with X-Error-Code: 401 RepoNotFound (unknown or private without a token), 401/403 GatedRepo, 404
 *     RevisionNotFound, 404 EntryNotFound; a renamed repository answers 307 to its new name (a relative Location).</li>
 * </ul>
 * Everything can be served under a path prefix, as a mirror behind HF_ENDPOINT would be. Requests are recorded.
 */
public final class FakeHub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Request(String method, String path, String authorization) {}

    /** A repository: commits (sha → files), branches and tags (name → sha), access rules. */
    public final class Repo {
        final String id;
        final Map<String, Map<String, byte[]>> commits = new LinkedHashMap<>();
        final Map<String, String> refs = new ConcurrentHashMap<>();
        volatile boolean gated;
        final Set<String> grantedTokens = ConcurrentHashMap.newKeySet();

        Repo(String id) {
            this.id = id;
        }

        /** Adds a commit with these files (name → content) and points {@code branch} at it; returns its sha. */
        public String commit(String branch, Map<String, byte[]> files) {
            String sha = sha1Hex((id + "|" + commits.size() + "|" + new TreeMap<>(files).keySet()).getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> copy = new TreeMap<>(files);
            commits.put(sha, copy);
            refs.put(branch, sha);
            copy.forEach((name, content) -> {
                if (isLfs(name)) cdn.put(sha256Hex(content), content);
            });
            return sha;
        }

        public void tag(String tag, String sha) {
            refs.put(tag, sha);
        }

        public Repo gated(String... tokens) {
            gated = true;
            grantedTokens.addAll(List.of(tokens));
            return this;
        }

        public String head(String branch) {
            return refs.get(branch);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String prefix;
    public final FakeCdn cdn;
    final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private FakeHub(String prefix) throws IOException {
        this.prefix = prefix;
        this.cdn = new FakeCdn();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(prefix.isEmpty() ? "/" : prefix, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeHub start() throws IOException {
        return new FakeHub("");
    }

    /** A hub served under a path prefix (e.g. "/mirror"), as behind a mirror's HF_ENDPOINT. */
    public static FakeHub startUnder(String prefix) throws IOException {
        return new FakeHub(prefix);
    }

    /** The endpoint to use as HF_ENDPOINT. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    public Repo repo(String id) {
        return repos.computeIfAbsent(id, Repo::new);
    }

    /** Requests for {@code oldId} answer 307 to the same path under {@code newId}. */
    public void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    public long count(String method, String pathPart) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
        }
    }

    public static boolean isLfs(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".bin") || name.endsWith(".gguf");
    }

    public static String sha256Hex(byte[] b) {
        return digest("SHA-256", b);
    }

    /** The git blob id of a file: sha1 of "blob {size}\0" + content. */
    public static String gitBlobId(byte[] b) {
        byte[] header = ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(header, header.length + b.length);
        System.arraycopy(b, 0, all, header.length, b.length);
        return sha1Hex(all);
    }

    private static String sha1Hex(byte[] b) {
        return digest("SHA-1", b);
    }

    private static String digest(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String raw = ex.getRequestURI().getRawPath().substring(prefix.length());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(ex.getRequestMethod(), raw, auth));
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            List<String> seg = Arrays.stream(raw.split("/")).filter(s -> !s.isEmpty())
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
            if (seg.size() >= 5 && seg.get(0).equals("api") && seg.get(1).equals("models") && seg.get(4).equals("revision")
                    && seg.size() == 6 && ex.getRequestMethod().equals("GET")) {
                modelInfo(ex, seg.get(2) + "/" + seg.get(3), seg.get(5), token, raw);
            } else if (seg.size() >= 5 && seg.get(2).equals("resolve")) {
                String rev = URLDecoder.decode(raw.split("/")[4], StandardCharsets.UTF_8);
                String file = String.join("/", seg.subList(4, seg.size()));
                resolve(ex, seg.get(0) + "/" + seg.get(1), rev, file, token, raw);
            } else {
                error(ex, 404, null, "Not Found");
            }
        }
    }

    private Repo access(HttpExchange ex, String id, String token, String raw, boolean files) throws IOException {
        if (renamed.containsKey(id)) {
            ex.getResponseHeaders().set("Location", prefix + raw.replace("/" + id + "/", "/" + renamed.get(id) + "/"));
            ex.sendResponseHeaders(307, -1);
            return null;
        }
        Repo repo = repos.get(id);
        if (repo == null) {
            error(ex, 401, "RepoNotFound", "Repository not found");
            return null;
        }
        if (files && repo.gated && (token == null || !repo.grantedTokens.contains(token))) {
            if (token == null) {
                error(ex, 401, "GatedRepo", "Access to model " + id + " is restricted. You must have access to it and be authenticated to access it. Please log in.");
            } else {
                error(ex, 403, "GatedRepo", "Access to model " + id + " is restricted and you are not in the authorized list. Visit https://huggingface.co/" + id + " to ask for access.");
            }
            return null;
        }
        return repo;
    }

    private void modelInfo(HttpExchange ex, String id, String rev, String token, String raw) throws IOException {
        Repo repo = access(ex, id, token, raw, false);
        if (repo == null) return;
        String sha = repo.commits.containsKey(rev) ? rev : repo.refs.get(rev);
        if (sha == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("_id", "fake").put("id", id).put("modelId", id).put("sha", sha).put("private", false);
        if (repo.gated) root.put("gated", "manual");
        else root.put("gated", false);
        ArrayNode siblings = root.putArray("siblings");
        siblings.addObject().put("rfilename", ".gitattributes").put("blobId", gitBlobId(new byte[0])).put("size", 0);
        repo.commits.get(sha).forEach((name, content) -> {
            ObjectNode s = siblings.addObject().put("rfilename", name).put("size", content.length);
            if (isLfs(name)) {
                String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256Hex(content) + "\nsize " + content.length + "\n";
                s.put("blobId", gitBlobId(pointer.getBytes(StandardCharsets.UTF_8)));
                s.putObject("lfs").put("sha256", sha256Hex(content)).put("size", content.length).put("pointerSize", pointer.length());
            } else {
                s.put("blobId", gitBlobId(content));
            }
        });
        byte[] body = JSON.writeValueAsBytes(root);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private void resolve(HttpExchange ex, String id, String rev, String file, String token, String raw) throws IOException {
        Repo repo = access(ex, id, token, raw, true);
        if (repo == null) return;
        String sha = repo.commits.containsKey(rev) ? rev : repo.refs.get(rev);
        if (sha == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
            return;
        }
        byte[] content = repo.commits.get(sha).get(file);
        ex.getResponseHeaders().set("X-Repo-Commit", sha);
        if (content == null) {
            error(ex, 404, "EntryNotFound", "Entry not found");
            return;
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (isLfs(file)) {
            String oid = sha256Hex(content);
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + oid + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", Long.toString(content.length));
            ex.getResponseHeaders().set("ETag", "\"" + gitBlobId(("pointer " + oid).getBytes(StandardCharsets.UTF_8)) + "\"");
            ex.getResponseHeaders().set("Location", cdn.url() + "/lfs/" + oid + "?X-Amz-Signature=fake&response-content-disposition=attachment");
            byte[] body = ("Found. Redirecting to " + cdn.url()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(302, head ? -1 : body.length);
            if (!head) ex.getResponseBody().write(body);
            return;
        }
        ex.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (head) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(content.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            ex.sendResponseHeaders(200, content.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(content);
            }
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) ex.getResponseHeaders().set("X-Error-Code", code);
        ex.getResponseHeaders().set("X-Error-Message", message);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) ex.getResponseBody().write(body);
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.close();
        cdn.close();
    }
}
