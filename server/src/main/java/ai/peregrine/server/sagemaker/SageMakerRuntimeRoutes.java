package ai.peregrine.server.sagemaker;

import ai.peregrine.server.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SageMaker Runtime's {@code InvokeEndpoint} ({@code POST /endpoints/{EndpointName}/invocations}) and
 * {@code InvokeEndpointWithResponseStream} ({@code .../invocations-response-stream}) for the served endpoints,
 * each relayed to its container's {@code /invocations} with SageMaker's headers, error mapping and event stream.
 * The server's own endpoint is bound once its port is known; further endpoints (other models in the same
 * process) are added with {@link #route}.
 */
public final class SageMakerRuntimeRoutes implements AutoCloseable {
    public static final String INVOKE = "/endpoints/{EndpointName}/invocations";
    public static final String INVOKE_STREAM = "/endpoints/{EndpointName}/invocations-response-stream";
    static final long MAX_BODY_BYTES = 6_291_456;
    static final String VARIANT = "AllTraffic";
    static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";
    private static final Logger LOG = Logger.getLogger(SageMakerRuntimeRoutes.class.getName());

    private final SageMakerEndpoint own;
    private final Map<String, EndpointTarget> targets = new ConcurrentHashMap<>();
    private final ContainerClient container = new ContainerClient();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sagemaker-runtime-deadlines");
        t.setDaemon(true);
        return t;
    });

    public SageMakerRuntimeRoutes(SageMakerEndpoint endpoint) {
        this.own = endpoint;
    }

    /** Serves this server's own endpoint from its container on {@code host:port}. */
    public void bind(String host, int port) {
        route(own, host, port);
    }

    /** Also answers for {@code other}, relaying to the container serving it on {@code host:port}. */
    public void route(SageMakerEndpoint other, String host, int port) {
        EndpointTarget target = new EndpointTarget(other, ContainerClient.invocationsAt(host, port));
        if (targets.putIfAbsent(other.name(), target) != null) {
            throw new IllegalArgumentException("endpoint " + other.name() + " is already served");
        }
    }

    public SageMakerEndpoint endpoint() {
        return own;
    }

    /** The names answered for, in no particular order. */
    public Set<String> endpointNames() {
        return Set.copyOf(targets.keySet());
    }

    public void invoke(ServerRequest req, ServerResponse res) {
        guarded(res, () -> {
            EndpointTarget target = target(req, res);
            byte[] body = target == null ? null : acceptedBody(req, res);
            if (body == null) return;
            SageMakerEndpoint endpoint = target.endpoint();
            HttpResponse<byte[]> r;
            try {
                r = container.invoke(target.invocations(), body, forwardedHeaders(req, "Accept"),
                        endpoint.invocationTimeout());
            } catch (HttpTimeoutException e) {
                RuntimeError.modelTimeout(endpoint.name()).send(res);
                return;
            }
            if (r.statusCode() >= 400) {
                containerError(endpoint, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8)).send(res);
                return;
            }
            res.status(200);
            copyResponseHeaders(r, res, HeaderNames.CONTENT_TYPE.defaultCase());
            res.send(r.body());
        });
    }

    public void invokeStream(ServerRequest req, ServerResponse res) {
        guarded(res, () -> {
            EndpointTarget target = target(req, res);
            byte[] body = target == null ? null : acceptedBody(req, res);
            if (body == null) return;
            SageMakerEndpoint endpoint = target.endpoint();
            long deadline = System.nanoTime() + endpoint.invocationTimeout().toNanos();
            HttpResponse<InputStream> r;
            try {
                r = container.invokeStreaming(target.invocations(), body, forwardedHeaders(req, "X-Amzn-SageMaker-Accept"),
                        endpoint.invocationTimeout());
            } catch (HttpTimeoutException e) {
                RuntimeError.modelTimeout(endpoint.name()).send(res);
                return;
            }
            if (r.statusCode() >= 400) {
                String message;
                try (InputStream in = r.body()) {
                    message = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                containerError(endpoint, r.statusCode(), message).send(res);
                return;
            }
            res.status(200);
            res.header(HeaderNames.CONTENT_TYPE, "application/vnd.amazon.eventstream");
            copyResponseHeaders(r, res, "X-Amzn-SageMaker-Content-Type");
            relay(endpoint, r.body(), res.outputStream(), deadline);
        });
    }

    /**
     * Copies container bytes into PayloadPart events as they arrive (SSE lines may split across parts, as on AWS).
     * Past the invocation deadline the container stream is closed and a ModelStreamError ends the stream.
     */
    private void relay(SageMakerEndpoint endpoint, InputStream container, OutputStream client, long deadline) {
        AtomicBoolean timedOut = new AtomicBoolean();
        long left = Math.max(0, deadline - System.nanoTime());
        ScheduledFuture<?> timer = deadlines.schedule(() -> {
            timedOut.set(true);
            closeQuietly(container);
        }, left, TimeUnit.NANOSECONDS);
        try (container) {
            byte[] buf = new byte[8192];
            while (true) {
                int n;
                try {
                    n = container.read(buf);
                } catch (IOException e) {
                    String code = timedOut.get() ? "ModelInvocationTimeExceeded" : "StreamBroken";
                    String message = timedOut.get()
                            ? "Model invocation time exceeded " + endpoint.invocationTimeout().toSeconds() + " s"
                            : "The model's response stream broke: " + e.getMessage();
                    writeQuietly(client, EventStreamEncoder.exception("ModelStreamError", streamError(message, code)));
                    return;
                }
                if (n < 0) break;
                if (!writeQuietly(client, EventStreamEncoder.payloadPart(Arrays.copyOf(buf, n)))) return;
            }
        } catch (IOException e) {
            // closing the container stream failed: nothing to tell the client
        } finally {
            timer.cancel(false);
            closeQuietly(client);
        }
    }

    private static RuntimeError containerError(SageMakerEndpoint endpoint, int status, String body) {
        return status == 429 ? RuntimeError.throttling() : RuntimeError.modelError(endpoint.name(), status, body);
    }

    /** The endpoint the path names, or null once an unknown one has been answered. */
    private EndpointTarget target(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("EndpointName");
        EndpointTarget target = name == null ? null : targets.get(name);
        if (target == null) RuntimeError.endpointNotFound(name).send(res);
        return target;
    }

    /** The request body, or null once an error has been answered (body over 6 MB). */
    private static byte[] acceptedBody(ServerRequest req, ServerResponse res) throws IOException {
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                RuntimeError.validation("Request body exceeds the maximum of " + MAX_BODY_BYTES + " bytes").send(res);
                return null;
            }
            return body;
        }
    }

    /** Content-Type and custom attributes verbatim; the accept header the operation names becomes Accept. */
    private static Map<String, String> forwardedHeaders(ServerRequest req, String acceptHeader) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/octet-stream"));
        req.headers().first(HeaderNames.create(acceptHeader)).ifPresent(a -> h.put("Accept", a));
        req.headers().first(HeaderNames.create(CUSTOM_ATTRIBUTES)).ifPresent(a -> h.put(CUSTOM_ATTRIBUTES, a));
        return h;
    }

    private static void copyResponseHeaders(HttpResponse<?> r, ServerResponse res, String contentTypeHeader) {
        Optional<String> type = r.headers().firstValue("Content-Type");
        res.header(contentTypeHeader, type.orElse("application/octet-stream"));
        res.header("X-Amzn-Invoked-Production-Variant", VARIANT);
        r.headers().firstValue(CUSTOM_ATTRIBUTES).ifPresent(a -> res.header(CUSTOM_ATTRIBUTES, a));
    }

    private static String streamError(String message, String code) {
        ObjectNode o = Json.object();
        o.put("Message", message);
        o.put("ErrorCode", code);
        return Json.write(o);
    }

    private interface Body {
        void run() throws IOException, InterruptedException;
    }

    private void guarded(ServerResponse res, Body body) {
        try {
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!res.isSent()) RuntimeError.internal("Interrupted").send(res);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "SageMaker Runtime invocation failed", e);
            if (!res.isSent()) RuntimeError.internal("An internal failure occurred: " + e.getMessage()).send(res);
        }
    }

    private static boolean writeQuietly(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the client left; closing the container stream cancels the generation
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed or broken
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
