package ai.peregrine.gateway;

import ai.peregrine.lambda.GenerateFunction;
import ai.peregrine.lambda.InvalidPayloadException;
import ai.peregrine.lambda.LambdaConfig;
import ai.peregrine.lambda.PayloadValidator;
import ai.peregrine.lambda.RestApiHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * API Gateway's role on one machine. Every request: CORS headers (preflight answered without a key), API key
 * (401 missing, 403 wrong), usage plan (429 + Retry-After), payload limit (413), then the route:
 * {@code POST /generate} runs the Lambda handler in-process within the integration timeout (504 past it);
 * {@code POST /generate_stream} relays the runtime's event stream as SSE; {@code POST /jobs} / {@code GET /jobs/{id}}.
 */
public final class GatewayServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration JOB_TIMEOUT = Duration.ofMinutes(15); // Lambda's longest run

    private final GatewayConfig config;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final GenerateFunction syncFunction;
    private final RestApiHandler syncHandler;
    private final RestApiHandler jobHandler;
    private final GenerateFunction jobFunction;
    private final PayloadValidator validator = new PayloadValidator(JSON);
    private final JobStore jobs;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final WebServer web;

    private GatewayServer(GatewayConfig config) {
        this.config = config;
        this.keys = new ApiKeys(config.apiKeys());
        this.limiter = new RateLimiter(config.usagePlan(), Clock.systemUTC());
        Duration invokeTimeout = config.integrationTimeout().compareTo(LambdaConfig.DEFAULT_INVOKE_TIMEOUT) < 0
                ? config.integrationTimeout() : LambdaConfig.DEFAULT_INVOKE_TIMEOUT;
        this.syncFunction = new GenerateFunction(LambdaConfig.local(config.endpointName(), config.runtimeUrl(), invokeTimeout));
        this.syncHandler = new RestApiHandler(syncFunction);
        this.jobFunction = new GenerateFunction(LambdaConfig.local(config.endpointName(), config.runtimeUrl(), JOB_TIMEOUT));
        this.jobHandler = new RestApiHandler(jobFunction);
        this.jobs = new JobStore(config.jobsDatabase());
        this.web = WebServer.builder().host(config.host()).port(config.port())
                .routing(HttpRouting.builder().any(this::dispatch)).build().start();
        // Helidon logs a failed bind and returns a stopped server (port -1) rather than throwing
        if (!web.isRunning()) {
            workers.shutdownNow();
            jobs.close();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " (is the port in use?)");
        }
    }

    public static GatewayServer start(GatewayConfig config) {
        return new GatewayServer(config);
    }

    public int port() {
        return web.port();
    }

    public boolean keysRequired() {
        return keys.required();
    }

    private void dispatch(ServerRequest req, ServerResponse res) {
        Exchange x = new Exchange(req, res, UUID.randomUUID().toString());
        try {
            res.header("Access-Control-Allow-Origin", config.corsOrigin());
            res.header("x-amzn-RequestId", x.requestId);
            route(x);
        } catch (RuntimeException | IOException e) {
            if (!res.isSent()) x.message(500, "Internal server error");
        } finally {
            AccessLog.write(x);
        }
    }

    private void route(Exchange x) throws IOException {
        String method = x.req.prologue().method().text();
        String path = x.req.path().path();
        if (method.equals("OPTIONS")) {
            x.res.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            x.res.header("Access-Control-Allow-Headers", "Content-Type, X-Api-Key, Authorization");
            x.res.header("Access-Control-Max-Age", "600");
            x.status = 204;
            x.res.status(204).send();
            return;
        }
        boolean known = (method.equals("POST") && (path.equals("/generate") || path.equals("/generate_stream") || path.equals("/jobs")))
                || (method.equals("GET") && path.startsWith("/jobs/"));
        if (!known) {
            x.message(404, "Not Found");
            return;
        }
        if (!authenticate(x)) return;
        RateLimiter.Decision d = limiter.acquire(x.keyId);
        if (!d.allowed()) {
            x.res.header("Retry-After", Long.toString(d.retryAfterSeconds()));
            x.message(429, d.reason());
            return;
        }
        if (method.equals("GET")) {
            getJob(x, path.substring("/jobs/".length()));
            return;
        }
        String body = readBody(x);
        if (body == null) return;
        switch (path) {
            case "/generate" -> generate(x, body);
            case "/generate_stream" -> generateStream(x, body);
            default -> submitJob(x, body);
        }
    }

    private boolean authenticate(Exchange x) {
        if (!keys.required()) {
            x.keyId = "anonymous";
            return true;
        }
        Optional<String> presented = x.req.headers().first(HeaderNames.create("X-Api-Key"));
        if (presented.isEmpty() || presented.get().isBlank()) {
            x.message(401, "Unauthorized: missing X-Api-Key header");
            return false;
        }
        Optional<String> id = keys.identify(presented.get());
        if (id.isEmpty()) {
            x.message(403, "Forbidden");
            return false;
        }
        x.keyId = id.get();
        return true;
    }

    private String readBody(Exchange x) throws IOException {
        OptionalLong declared = x.req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > config.payloadLimit()) {
            x.message(413, "Request Too Long");
            return null;
        }
        try (InputStream in = x.req.content().inputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.payloadLimit() + 1));
            if (b.length > config.payloadLimit()) {
                x.message(413, "Request Too Long");
                return null;
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private void generate(Exchange x, String body) {
        APIGatewayProxyRequestEvent event = LambdaEvents.restEvent(x.req, body, x.requestId, x.keyId);
        long deadline = System.currentTimeMillis() + config.integrationTimeout().toMillis();
        Future<APIGatewayProxyResponseEvent> f = workers.submit(
                () -> syncHandler.handleRequest(event, new GatewayContext(x.requestId, deadline)));
        APIGatewayProxyResponseEvent r;
        try {
            r = f.get(config.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            x.message(504, "Endpoint request timed out");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.message(500, "Internal server error");
            return;
        } catch (ExecutionException e) {
            x.message(502, "Internal server error");
            return;
        }
        if (r.getHeaders() != null) r.getHeaders().forEach(x.res::header);
        x.send(r.getStatusCode(), r.getBody());
    }

    private void generateStream(Exchange x, String body) throws IOException {
        ObjectNode payload;
        try {
            JsonNode parsed = JSON.readTree(body);
            if (parsed instanceof ObjectNode o) o.remove("stream");
            payload = validator.validate(JSON.writeValueAsString(parsed));
        } catch (IOException e) {
            payload = validator.validate(body); // reports the JSON problem naming "body"
        } catch (InvalidPayloadException e) {
            x.json(400, invalid(e, x.requestId));
            return;
        }
        payload.put("stream", true);
        URI uri = config.runtimeUrl().resolve("/endpoints/" + config.endpointName() + "/invocations-response-stream");
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("X-Amzn-SageMaker-Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.message(500, "Internal server error");
            return;
        } catch (IOException e) {
            x.message(502, "Bad Gateway");
            return;
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                RuntimeErrors.answer(x, r.statusCode(), in.readAllBytes());
                return;
            }
            x.status = 200;
            x.res.status(200);
            x.res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            x.res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            try (OutputStream out = x.res.outputStream()) {
                StreamRelay.relay(in, out);
            }
        }
    }

    private void submitJob(Exchange x, String body) {
        try {
            validator.validate(body);
        } catch (InvalidPayloadException e) {
            x.json(400, invalid(e, x.requestId));
            return;
        }
        String id = UUID.randomUUID().toString();
        jobs.create(id, x.keyId, body);
        APIGatewayProxyRequestEvent event = LambdaEvents.restEvent(x.req, body, id, x.keyId);
        workers.submit(() -> runJob(id, event));
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("status", "queued");
        o.put("location", "/jobs/" + id);
        x.res.header(HeaderNames.LOCATION, "/jobs/" + id);
        x.json(202, o);
    }

    private void runJob(String id, APIGatewayProxyRequestEvent event) {
        try {
            jobs.running(id);
            APIGatewayProxyResponseEvent r = jobHandler.handleRequest(event,
                    new GatewayContext(id, System.currentTimeMillis() + JOB_TIMEOUT.toMillis()));
            if (!workers.isShutdown()) jobs.finished(id, r.getStatusCode(), r.getBody());
        } catch (RuntimeException e) {
            if (!workers.isShutdown()) jobs.failed(id, "the job failed: " + e.getClass().getSimpleName());
        }
    }

    private void getJob(Exchange x, String id) {
        Optional<JobStore.Job> job = jobs.find(id).filter(j -> j.keyId().equals(x.keyId));
        if (job.isEmpty()) {
            x.message(404, "Job not found");
            return;
        }
        x.json(200, JobJson.of(job.get()));
    }

    private static ObjectNode invalid(InvalidPayloadException e, String requestId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", e.getMessage());
        o.put("field", e.field());
        o.put("request_id", requestId);
        return o;
    }

    @Override
    public void close() {
        web.stop();
        workers.shutdownNow();
        jobs.close();
        syncFunction.close();
        jobFunction.close();
    }

    /** One request in flight, with what the access log reports. */
    static final class Exchange {
        final ServerRequest req;
        final ServerResponse res;
        final String requestId;
        final long startNanos = System.nanoTime();
        String keyId = "-";
        int status;

        Exchange(ServerRequest req, ServerResponse res, String requestId) {
            this.req = req;
            this.res = res;
            this.requestId = requestId;
        }

        void message(int status, String message) {
            json(status, JSON.createObjectNode().put("message", message));
        }

        void json(int status, JsonNode body) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            send(status, body.toString());
        }

        void send(int status, String body) {
            this.status = status;
            res.status(status);
            res.send(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
