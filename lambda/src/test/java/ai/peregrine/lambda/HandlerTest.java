package ai.peregrine.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both handlers on recorded-shape API Gateway events against a live local SageMaker Runtime. */
class HandlerTest {
    static final String SEED = "{\"inputs\": \"What is Amazon SageMaker?\", \"parameters\": {\"top_p\": 0.9,"
            + " \"temperature\": 0.8, \"max_new_tokens\": 12, \"repetition_penalty\": 1.03}}";

    private static LocalRuntime runtime;
    private static GenerateFunction function;

    @BeforeAll
    static void start() {
        runtime = new LocalRuntime(1);
        function = new GenerateFunction(LambdaConfig.local(LocalRuntime.ENDPOINT, runtime.url(), Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stop() {
        function.close();
        runtime.close();
    }

    static JsonNode httpApi(GenerateFunction f, String body, boolean base64, TestContext ctx) {
        APIGatewayV2HTTPEvent event = ApiGatewayEvents.event("http-api-v2.json", APIGatewayV2HTTPEvent.class, body, base64);
        APIGatewayV2HTTPResponse r = new HttpApiHandler(f).handleRequest(event, ctx);
        return ApiGatewayEvents.toJson(r, APIGatewayV2HTTPResponse.class);
    }

    static JsonNode restApi(GenerateFunction f, String body, boolean base64, TestContext ctx) {
        APIGatewayProxyRequestEvent event = ApiGatewayEvents.event("rest-api-v1.json", APIGatewayProxyRequestEvent.class, body, base64);
        APIGatewayProxyResponseEvent r = new RestApiHandler(f).handleRequest(event, ctx);
        return ApiGatewayEvents.toJson(r, APIGatewayProxyResponseEvent.class);
    }

    static JsonNode body(JsonNode response) throws Exception {
        return ApiGatewayEvents.JSON.readTree(response.get("body").asText());
    }

    static JsonNode lastLog(TestContext ctx) throws Exception {
        return ApiGatewayEvents.JSON.readTree(ctx.logs.getLast());
    }

    @Test
    void theSeedPayloadGetsTheModelsAnswerThroughBothEventFormats() throws Exception {
        TestContext ctx = new TestContext("req-1");
        JsonNode v2 = httpApi(function, SEED, false, ctx);
        assertThat(v2.get("statusCode").asInt()).isEqualTo(200);
        assertThat(v2.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(body(v2).get(0).get("generated_text").asText()).startsWith("What is Amazon SageMaker?");

        JsonNode v1 = restApi(function, SEED, false, ctx);
        assertThat(v1.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(v1).get(0).has("generated_text")).isTrue();

        JsonNode log = lastLog(ctx);
        assertThat(log.get("request_id").asText()).isEqualTo("req-1");
        assertThat(log.get("outcome").asText()).isEqualTo("success");
        assertThat(log.get("latency_ms").asLong()).isNotNegative();
        assertThat(log.get("input_chars").asInt()).isEqualTo("What is Amazon SageMaker?".length());
        assertThat(ctx.logs).noneMatch(l -> l.contains("SageMaker?") || l.contains("generated_text"));
    }

    @Test
    void base64BodiesAreDecoded() throws Exception {
        String encoded = Base64.getEncoder().encodeToString(SEED.getBytes(StandardCharsets.UTF_8));
        assertThat(httpApi(function, encoded, true, new TestContext("b64")).get("statusCode").asInt()).isEqualTo(200);
        assertThat(restApi(function, encoded, true, new TestContext("b64")).get("statusCode").asInt()).isEqualTo(200);
        JsonNode bad = httpApi(function, "%%%", true, new TestContext("b64"));
        assertThat(bad.get("statusCode").asInt()).isEqualTo(400);
        assertThat(body(bad).get("field").asText()).isEqualTo("body");
    }

    @Test
    void bodiesOffTheSchemaAre400NamingTheField() throws Exception {
        String[][] cases = {
                {"not json", "body"},
                {"[1]", "body"},
                {"{\"parameters\":{}}", "inputs"},
                {"{\"inputs\":\"\"}", "inputs"},
                {"{\"inputs\":3}", "inputs"},
                {"{\"inputs\":\"x\",\"parameters\":{\"top_p\":1.5}}", "parameters.top_p"},
                {"{\"inputs\":\"x\",\"parameters\":{\"temperature\":0}}", "parameters.temperature"},
                {"{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":\"512\"}}", "parameters.max_new_tokens"},
                {"{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":0}}", "parameters.max_new_tokens"},
                {"{\"inputs\":\"x\",\"parameters\":{\"repetition_penalty\":-1}}", "parameters.repetition_penalty"},
                {"{\"inputs\":\"x\",\"parameters\":{\"colour\":1}}", "parameters.colour"},
                {"{\"inputs\":\"x\",\"parameters\":[]}", "parameters"},
                {"{\"inputs\":\"x\",\"extra\":1}", "extra"},
        };
        long before = requestCount();
        for (String[] c : cases) {
            TestContext ctx = new TestContext("bad");
            JsonNode r = restApi(function, c[0], false, ctx);
            assertThat(r.get("statusCode").asInt()).as(c[0]).isEqualTo(400);
            assertThat(body(r).get("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(body(r).get("error").asText()).as(c[0]).isNotBlank();
            assertThat(lastLog(ctx).get("outcome").asText()).isEqualTo("invalid_payload");
        }
        assertThat(requestCount()).as("no model call spent on an invalid body").isEqualTo(before);
    }

    @Test
    void aModelErrorIsAnsweredWithTheContainersStatusAndBody() throws Exception {
        // valid here, but more tokens than the demo model's context: the container answers 422
        JsonNode r = httpApi(function, "{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":4096}}", false, new TestContext("me"));
        assertThat(r.get("statusCode").asInt()).isEqualTo(422);
        assertThat(body(r).get("error_type").asText()).isEqualTo("validation");
        assertThat(body(r).get("error").asText()).startsWith("Input validation error: ");
    }

    @Test
    void anOverloadedModelIs429() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> busy = http.send(HttpRequest.newBuilder(runtime.url().resolve("/generate_stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = busy.body()) {
            in.read(new byte[16]); // admitted and generating
            TestContext ctx = new TestContext("busy");
            JsonNode r = httpApi(function, SEED, false, ctx);
            assertThat(r.get("statusCode").asInt()).isEqualTo(429);
            assertThat(body(r).get("request_id").asText()).isEqualTo("busy");
            assertThat(lastLog(ctx).get("outcome").asText()).isEqualTo("throttled");
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (runtime.server.scheduler().batchSize() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    }

    @Test
    void aSlowModelIs504() throws Exception {
        try (GenerateFunction impatient = new GenerateFunction(
                LambdaConfig.local(LocalRuntime.ENDPOINT, runtime.url(), Duration.ofMillis(300)))) {
            TestContext ctx = new TestContext("slow");
            JsonNode r = restApi(impatient, "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}", false, ctx);
            assertThat(r.get("statusCode").asInt()).isEqualTo(504);
            assertThat(body(r).get("request_id").asText()).isEqualTo("slow");
            assertThat(lastLog(ctx).get("outcome").asText()).isEqualTo("timeout");
        }
        long deadline = System.currentTimeMillis() + 10000;
        while (runtime.server.scheduler().batchSize() > 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
    }

    @Test
    void anyOtherFailureIs502WithTheRequestIdAndNoStackTrace() throws Exception {
        try (GenerateFunction wrongEndpoint = new GenerateFunction(
                     LambdaConfig.local("no-such-endpoint", runtime.url(), Duration.ofSeconds(5)));
             GenerateFunction nothingListening = new GenerateFunction(
                     LambdaConfig.local(LocalRuntime.ENDPOINT, URI.create("http://127.0.0.1:1"), Duration.ofSeconds(5)))) {
            for (GenerateFunction f : new GenerateFunction[] {wrongEndpoint, nothingListening}) {
                TestContext ctx = new TestContext("other");
                JsonNode r = httpApi(f, SEED, false, ctx);
                assertThat(r.get("statusCode").asInt()).isEqualTo(502);
                assertThat(body(r).get("request_id").asText()).isEqualTo("other");
                assertThat(r.get("body").asText()).doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(lastLog(ctx).get("outcome").asText()).isEqualTo("invoke_failed");
            }
        }
    }

    private static long requestCount() {
        var m = java.util.regex.Pattern.compile("(?m)^tgi_request_count (\\d+)").matcher(runtime.server.metrics().scrape());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
