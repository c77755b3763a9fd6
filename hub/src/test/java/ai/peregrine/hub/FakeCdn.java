package ai.peregrine.hub;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CDN the hub redirects LFS downloads to: {@code GET /lfs/{sha256}?X-Amz-Signature=...} with {@code Range:
 * bytes=N-} (206, Content-Range) and 416 past the end. Written on plain sockets so it can misbehave the way networks
 * do: drop the connection at a byte offset (after promising the full length), send corrupt bytes, ignore Range, or
 * hold each response open for a while (to observe parallel downloads). Every request is recorded.
 */
public final class FakeCdn implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    public record Request(String path, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    /**
     * sha256 → absolute offset at which the connection is dropped, how many more times (negative: always), and how
     * long the server then stays silent with the connection open before closing it (0: closes at once).
     */
    private final Map<String, long[]> drops = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    public final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    public volatile boolean ignoreRange;
    public volatile long holdMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public FakeCdn() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = Thread.ofPlatform().daemon().name("fake-cdn").start(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void put(String sha256, byte[] content) {
        blobs.put(sha256, content);
    }

    /** Drops the connection when the transfer of this blob reaches {@code offset}, {@code times} times (negative: every time). */
    public void dropAt(String sha256, long offset, int times) {
        drops.put(sha256, new long[] {offset, times, 0});
    }

    /** Like {@link #dropAt}, but the server stops sending at {@code offset} and keeps the connection open for {@code millis}. */
    public void stallAt(String sha256, long offset, int times, long millis) {
        drops.put(sha256, new long[] {offset, times, millis});
    }

    public void heal(String sha256) {
        drops.remove(sha256);
        corrupt.remove(sha256);
    }

    /** Serves this blob with one byte flipped (same length). */
    public void corrupt(String sha256) {
        corrupt.put(sha256, true);
    }

    public int maxConcurrentTransfers() {
        return maxInFlight.get();
    }

    public List<Request> requestsFor(String sha256) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().contains(sha256)).toList();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) return;
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
                int c = h.indexOf(':');
                if (c > 0) headers.put(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
            }
            String[] parts = requestLine.split(" ");
            String target = parts[1];
            requests.add(new Request(target, headers));
            OutputStream out = socket.getOutputStream();
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            byte[] blob = path.startsWith("/lfs/") ? blobs.get(path.substring(5)) : null;
            if (!parts[0].equals("GET") || blob == null) {
                respond(out, "404 Not Found", Map.of(), "Not Found".getBytes(StandardCharsets.UTF_8), -1);
                return;
            }
            String sha = path.substring(5);
            if (Boolean.TRUE.equals(corrupt.get(sha))) {
                blob = blob.clone();
                blob[blob.length / 2] ^= 0x5a;
            }
            long start = 0;
            Matcher m = RANGE.matcher(headers.getOrDefault("range", ""));
            boolean ranged = !ignoreRange && m.matches();
            if (ranged) start = Long.parseLong(m.group(1));
            if (ranged && start >= blob.length) {
                respond(out, "416 Range Not Satisfiable", Map.of("Content-Range", "bytes */" + blob.length), new byte[0], -1);
                return;
            }
            long dropAt = -1, silence = 0;
            long[] drop = drops.get(sha);
            if (drop != null && drop[0] >= start && drop[0] < blob.length && drop[1] != 0) {
                dropAt = drop[0];
                silence = drop[2];
                if (drop[1] > 0) drop[1]--;
            }
            byte[] body = java.util.Arrays.copyOfRange(blob, (int) start, blob.length);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/octet-stream");
            h.put("ETag", "\"cdn-" + sha.substring(0, 8) + "\"");
            if (ranged) h.put("Content-Range", "bytes " + start + "-" + (blob.length - 1) + "/" + blob.length);
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (holdMillis > 0) Thread.sleep(holdMillis);
                respond(out, ranged ? "206 Partial Content" : "200 OK", h, body, dropAt < 0 ? -1 : (int) (dropAt - start));
                if (silence > 0) Thread.sleep(silence);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    /** Writes the status, headers and body; with {@code cutAfter} >= 0 only that many body bytes, then the socket closes. */
    private static void respond(OutputStream out, String status, Map<String, String> headers, byte[] body, int cutAfter)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, cutAfter >= 0 ? cutAfter : body.length);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') return b.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
