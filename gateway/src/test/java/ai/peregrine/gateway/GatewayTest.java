package ai.peregrine.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.server.PeregrineServer;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in front of a live local runtime (demo model): keys, quotas, CORS, limits, timeout, streaming, jobs. */
class GatewayTest {
    static final String KEY = "pk-test-0123456789";
    static final String SEED = "{\"inputs\": \"What is Amazon SageMaker?\", \"parameters\": {\"top_p\": 0.9,"
            + " \"temperature\": 0.8, \"max_new_tokens\": 8, \"repetition_penalty\": 1.03}}";

    static TransformerModel model;
    static PeregrineServer runtime;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        model = ModelLoader.loadDemo(2);
        ServerConfig config = ServerOptions.defaults().withPort(0).resolve(model.config().contextLength(), "demo");
        runtime = PeregrineServer.start(ServedModel.of(model, config.modelId()), config, SageMakerEndpoint.named("demo"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
        model.close();
    }

    static GatewayServer gateway(String db, UnaryOperator<GatewayConfig> tweak) {
        GatewayConfig c = GatewayConfig.defaults(URI.create("http://127.0.0.1:" + runtime.port()), "demo", dir.resolve(db))
                .withPort(0).withApiKeys(List.of(KEY, "pk-other"));
        return GatewayServer.start(tweak.apply(c));
    }

    static HttpResponse<String> send(GatewayServer g, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(GatewayServer g, String path, String body) throws Exception {
        return send(g, "POST", path, body, "X-Api-Key", KEY, "Content-Type", "application/json");
    }

    static JsonNode json(String s) throws Exception {
        return GatewayServer.JSON.readTree(s);
    }

    @Test
    void generateRunsTheLambdaHandlerWithAnApiKey() throws Exception {
        try (GatewayServer g = gateway("keys", c -> c)) {
            HttpResponse<String> ok = post(g, "/generate", SEED);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(json(ok.body()).get(0).get("generated_text").asText()).startsWith("What is Amazon SageMaker?");
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

            assertThat(send(g, "POST", "/generate", SEED).statusCode()).isEqualTo(401);
            assertThat(send(g, "POST", "/generate", SEED, "X-Api-Key", "pk-wrong").statusCode()).isEqualTo(403);
            HttpResponse<String> invalid = post(g, "/generate", "{\"inputs\":\"x\",\"parameters\":{\"top_p\":2}}");
            assertThat(invalid.statusCode()).isEqualTo(400);
            assertThat(json(invalid.body()).get("field").asText()).isEqualTo("parameters.top_p");
        }
    }

    @Test
    void usagePlansLimitRateBurstAndDailyQuotaPerKey() throws Exception {
        try (GatewayServer burst = gateway("burst", c -> c.withUsagePlan(new UsagePlan(0.5, 2, 1000)))) {
            String cheap = "{\"inputs\":\"\"}"; // rejected by the function: counts, costs no model call
            assertThat(post(burst, "/generate", cheap).statusCode()).isEqualTo(400);
            assertThat(post(burst, "/generate", cheap).statusCode()).isEqualTo(400);
            HttpResponse<String> limited = post(burst, "/generate", cheap);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 2L));
            // the other key has its own bucket
            assertThat(send(burst, "POST", "/generate", cheap, "X-Api-Key", "pk-other").statusCode()).isEqualTo(400);
        }
        try (GatewayServer quota = gateway("quota", c -> c.withUsagePlan(new UsagePlan(100, 100, 2)))) {
            String cheap = "{\"inputs\":\"\"}";
            post(quota, "/generate", cheap);
            post(quota, "/generate", cheap);
            HttpResponse<String> over = post(quota, "/generate", cheap);
            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(json(over.body()).get("message").asText()).isEqualTo("Limit Exceeded");
            assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 86_400L);
        }
    }

    @Test
    void corsPreflightNeedsNoKey() throws Exception {
        try (GatewayServer g = gateway("cors", c -> c)) {
            HttpResponse<String> r = send(g, "OPTIONS", "/generate", null, "Origin", "https://app.example",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-api-key");
            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).containsIgnoringCase("x-api-key");
        }
    }

    @Test
    void bodiesOverThePayloadLimitAre413() throws Exception {
        assertThat(GatewayConfig.DEFAULT_PAYLOAD_LIMIT).isEqualTo(10L * 1024 * 1024);
        try (GatewayServer g = gateway("limit", c -> c.withPayloadLimit(1024))) {
            HttpResponse<String> r = post(g, "/generate", "{\"inputs\":\"" + "x".repeat(2000) + "\"}");
            assertThat(r.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void pastTheIntegrationTimeoutTheAnswerIs504() throws Exception {
        assertThat(GatewayConfig.DEFAULT_INTEGRATION_TIMEOUT).isEqualTo(Duration.ofSeconds(29));
        try (GatewayServer g = gateway("timeout", c -> c.withIntegrationTimeout(Duration.ofMillis(400)))) {
            HttpResponse<String> r = post(g, "/generate", "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}");
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(json(r.body()).get("message").asText()).isEqualTo("Endpoint request timed out");
        }
        waitForIdleRuntime();
    }

    @Test
    void generateStreamPassesTheRuntimesSseThrough() throws Exception {
        try (GatewayServer g = gateway("stream", c -> c)) {
            HttpResponse<String> r = post(g, "/generate_stream", "{\"inputs\":\"Hello\",\"parameters\":{\"max_new_tokens\":5}}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            List<String> events = r.body().lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5)).toList();
            assertThat(events).hasSize(5);
            assertThat(json(events.getLast()).get("generated_text").isTextual()).isTrue();

            // as TGI streams it: a validation error is an error event on a 200 stream
            HttpResponse<String> tooLong = post(g, "/generate_stream", "{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":4096}}");
            assertThat(tooLong.statusCode()).isEqualTo(200);
            assertThat(json(tooLong.body().strip().substring(5)).get("error_type").asText()).isEqualTo("validation");
            assertThat(send(g, "POST", "/generate_stream", "{}").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void jobsAreKeptAcrossARestartAndARunningJobIsReportedFailed() throws Exception {
        String done;
        String running;
        // polling is metered like any request: give this key room so a slow machine cannot turn polls into 429s
        UnaryOperator<GatewayConfig> roomy = c -> c.withUsagePlan(new UsagePlan(1000, 1000, 1_000_000));
        try (GatewayServer g = gateway("jobs", roomy)) {
            HttpResponse<String> accepted = post(g, "/jobs", SEED);
            assertThat(accepted.statusCode()).isEqualTo(202);
            done = json(accepted.body()).get("id").asText();
            assertThat(accepted.headers().firstValue("Location")).hasValue("/jobs/" + done);
            JsonNode finished = poll(g, done, "succeeded");
            assertThat(finished.get("result").get("status_code").asInt()).isEqualTo(200);
            assertThat(finished.get("result").get("body").get(0).get("generated_text").asText()).startsWith("What is");

            running = json(post(g, "/jobs", "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}").body()).get("id").asText();
            poll(g, running, "running");
            assertThat(send(g, "GET", "/jobs/" + done, null, "X-Api-Key", "pk-other").statusCode()).isEqualTo(404);
        }
        try (GatewayServer restarted = gateway("jobs", roomy)) {
            JsonNode kept = json(send(restarted, "GET", "/jobs/" + done, null, "X-Api-Key", KEY).body());
            assertThat(kept.get("status").asText()).isEqualTo("succeeded");
            assertThat(kept.get("result").get("body").get(0).has("generated_text")).isTrue();
            JsonNode lost = json(send(restarted, "GET", "/jobs/" + running, null, "X-Api-Key", KEY).body());
            assertThat(lost.get("status").asText()).isEqualTo("failed");
            assertThat(lost.get("error").asText()).isEqualTo(JobStore.INTERRUPTED);
            assertThat(send(restarted, "GET", "/jobs/nope", null, "X-Api-Key", KEY).statusCode()).isEqualTo(404);
        }
        waitForIdleRuntime();
    }

    static JsonNode poll(GatewayServer g, String id, String status) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            JsonNode j = json(send(g, "GET", "/jobs/" + id, null, "X-Api-Key", KEY).body());
            if (j.get("status").asText().equals(status)) return j;
            assertThat(System.currentTimeMillis()).as("job %s never %s: %s", id, status, j).isLessThan(deadline);
            Thread.sleep(200); // polls count against the key's usage plan (10 req/s by default), as on API Gateway
        }
    }

    static void waitForIdleRuntime() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (runtime.scheduler().batchSize() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    }
}
