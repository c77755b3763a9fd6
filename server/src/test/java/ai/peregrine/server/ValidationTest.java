package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** TGI's validation rules with its exact messages, malformed and oversized bodies; each followed by a good request. */
class ValidationTest {
    static final int MAX_INPUT = 16;
    static final int MAX_TOTAL = 32;
    static final long PAYLOAD_LIMIT = 4096;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(o -> o.withTokenLimits(MAX_INPUT, MAX_TOTAL).withPayloadLimit(PAYLOAD_LIMIT));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @AfterEach
    void serverStillAnswers() {
        HttpResponse<String> ok = t.post("/generate", "{\"inputs\":\"ok\",\"parameters\":{\"max_new_tokens\":2}}");
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    static String params(String p) {
        return "{\"inputs\":\"hello\",\"parameters\":{" + p + "}}";
    }

    static Stream<Arguments> invalidParameters() {
        String longInput = "word ".repeat(40);
        int longTokens = ModelTokens.count(longInput);
        return Stream.of(
                Arguments.of(params("\"best_of\":2"), "you must use sampling when `best_of` is > 1"),
                Arguments.of(params("\"best_of\":3,\"do_sample\":true"), "`best_of` must be > 0 and <= 2. Given: 3"),
                Arguments.of(params("\"best_of\":2,\"do_sample\":true,\"seed\":1"), "`seed` must not be set when `best_of` > 1"),
                Arguments.of(params("\"temperature\":0"), "`temperature` must be strictly positive"),
                Arguments.of(params("\"temperature\":-1.5"), "`temperature` must be strictly positive"),
                Arguments.of(params("\"repetition_penalty\":0"), "`repetition_penalty` must be strictly positive"),
                Arguments.of(params("\"frequency_penalty\":2.5"), "`frequency_penalty` must be >= -2.0 and <= 2.0"),
                Arguments.of(params("\"frequency_penalty\":-3"), "`frequency_penalty` must be >= -2.0 and <= 2.0"),
                Arguments.of(params("\"top_p\":1.0"), "`top_p` must be > 0.0 and < 1.0"),
                Arguments.of(params("\"top_p\":0"), "`top_p` must be > 0.0 and < 1.0"),
                Arguments.of(params("\"typical_p\":1.0"), "`typical_p` must be > 0.0 and < 1.0"),
                Arguments.of(params("\"typical_p\":-0.1"), "`typical_p` must be > 0.0 and < 1.0"),
                Arguments.of(params("\"top_k\":0"), "`top_k` must be strictly positive"),
                Arguments.of(params("\"top_k\":-4"), "`top_k` must be strictly positive"),
                Arguments.of(params("\"max_new_tokens\":0"), "`max_new_tokens` must be strictly positive"),
                Arguments.of(params("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), "`stop` supports up to 4 stop sequences. Given: 5"),
                Arguments.of(params("\"top_n_tokens\":6"), "`top_n_tokens` must be >= 0 and <= 5. Given: 6"),
                Arguments.of("{\"inputs\":\"\"}", "`inputs` cannot be empty"),
                Arguments.of(params("\"truncate\":0"), "`truncate` must be strictly positive and less than 16. Given: 0"),
                Arguments.of(params("\"truncate\":17"), "`truncate` must be strictly positive and less than 16. Given: 17"),
                Arguments.of(params("\"max_new_tokens\":40"), "`inputs` tokens + `max_new_tokens` must be <= 32. Given: "
                        + ModelTokens.count("hello") + " `inputs` tokens and 40 `max_new_tokens`"),
                Arguments.of("{\"inputs\":\"" + longInput + "\",\"parameters\":{\"max_new_tokens\":1}}",
                        longTokens + 1 > MAX_TOTAL
                                ? "`inputs` tokens + `max_new_tokens` must be <= 32. Given: " + longTokens + " `inputs` tokens and 1 `max_new_tokens`"
                                : "`inputs` must have less than 16 tokens. Given: " + longTokens),
                Arguments.of(params("\"grammar\":{\"type\":\"regex\",\"value\":\"a+\"}"), "grammar is not supported"));
    }

    @ParameterizedTest
    @MethodSource("invalidParameters")
    void invalidParametersAre422WithTgiMessages(String body, String message) {
        for (String route : List.of("/generate", "/", "/invocations")) {
            HttpResponse<String> r = t.post(route, body);
            assertThat(r.statusCode()).as(route).isEqualTo(422);
            JsonNode e = TestServer.json(r.body());
            assertThat(e.get("error").asText()).as(route).isEqualTo("Input validation error: " + message);
            assertThat(e.get("error_type").asText()).isEqualTo("validation");
        }
    }

    @ParameterizedTest
    @MethodSource("invalidParameters")
    void onTheStreamingRouteErrorsAreAnSseEvent(String body, String message) {
        HttpResponse<String> r = t.post("/generate_stream", body);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> events = SseEvents.parse(r.body());
        assertThat(events).hasSize(1);
        JsonNode e = TestServer.json(events.getFirst());
        // TGI's streaming route refuses best_of != 1 before any other rule.
        String expected = body.contains("best_of") ? "`best_of` != 1 is not supported when streaming tokens" : message;
        assertThat(e.get("error").asText()).isEqualTo("Input validation error: " + expected);
        assertThat(e.get("error_type").asText()).isEqualTo("validation");
    }

    @Test
    void streamingRejectsBestOfAndDecoderInputDetails() {
        JsonNode a = TestServer.json(SseEvents.parse(t.post("/generate_stream", params("\"best_of\":2,\"do_sample\":true")).body()).getFirst());
        assertThat(a.get("error").asText()).isEqualTo("Input validation error: `best_of` != 1 is not supported when streaming tokens");
        JsonNode b = TestServer.json(SseEvents.parse(t.post("/generate_stream", params("\"decoder_input_details\":true")).body()).getFirst());
        assertThat(b.get("error").asText())
                .isEqualTo("Input validation error: `decoder_input_details` == true is not supported when streaming tokens");
    }

    @Test
    void bestOfTwoReturnsTheOtherCandidate() {
        JsonNode r = TestServer.json(t.post("/generate", params("\"best_of\":2,\"do_sample\":true,\"max_new_tokens\":3,\"details\":true")).body());
        assertThat(r.get("details").get("best_of_sequences")).hasSize(1);
        assertThat(r.get("details").get("seed").isNumber()).isTrue();
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("{\"inputs\":", "Failed to parse the request body as JSON"),
                Arguments.of("not json", "Failed to parse the request body as JSON"),
                Arguments.of("", "Failed to parse the request body as JSON"),
                Arguments.of("{\"inputs\":\"a\"} trailing", "Failed to parse the request body as JSON"),
                Arguments.of("[1,2]", "Failed to deserialize the JSON body into the target type"),
                Arguments.of("{}", "Failed to deserialize the JSON body into the target type: missing field `inputs`"),
                Arguments.of("{\"parameters\":{}}", "Failed to deserialize the JSON body into the target type: missing field `inputs`"),
                Arguments.of("{\"inputs\":[\"a\",\"b\"]}", "Failed to deserialize the JSON body into the target type: inputs: invalid type: sequence"),
                Arguments.of("{\"inputs\":42}", "Failed to deserialize the JSON body into the target type: inputs: invalid type: integer"),
                Arguments.of(params("\"temperature\":\"hot\""), "parameters.temperature: invalid type: string \"hot\", expected f32"),
                Arguments.of(params("\"max_new_tokens\":-1"), "parameters.max_new_tokens: invalid value: integer `-1`, expected u32"),
                Arguments.of(params("\"max_new_tokens\":2.5"), "parameters.max_new_tokens: invalid type: floating point"),
                Arguments.of(params("\"do_sample\":\"yes\""), "parameters.do_sample: invalid type: string"),
                Arguments.of(params("\"stop\":\"x\""), "parameters.stop: invalid type: string"),
                Arguments.of(params("\"seed\":-5"), "parameters.seed: invalid value: integer `-5`, expected u64"),
                Arguments.of("{\"inputs\":\"a\",\"parameters\":7}", "parameters: invalid type: integer"),
                Arguments.of("{\"inputs\":\"a\",\"stream\":\"no\"}", "stream: invalid type: string"));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void malformedBodiesAre422(String body, String messageStart) {
        HttpResponse<String> r = t.post("/generate", body);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(r.body()).get("error").asText()).contains(messageStart);
    }

    @Test
    void bodiesOverThePayloadLimitAre413() {
        String big = "{\"inputs\":\"" + "a".repeat((int) PAYLOAD_LIMIT) + "\"}";
        HttpResponse<String> r = t.post("/generate", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(TestServer.json(r.body()).get("error_type").asText()).isEqualTo("payload_too_large");
        assertThat(t.post("/invocations", big).statusCode()).isEqualTo(413);
    }

    @Test
    void aNonJsonContentTypeIs415() {
        HttpResponse<String> r = t.send(HttpRequest.newBuilder(t.uri("/generate")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":\"a\"}")).build());
        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void unknownRoutesAndMethodsAre404() {
        assertThat(t.get("/nope").statusCode()).isEqualTo(404);
        assertThat(t.get("/generate").statusCode()).isEqualTo(404);
        assertThat(TestServer.json(t.get("/nope").body()).get("error_type").asText()).isEqualTo("not_found");
    }

    @Test
    void openAiSpecificErrors() {
        HttpResponse<String> tooMany = t.post("/v1/completions", "{\"prompt\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"max_tokens\":1}");
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(TestServer.json(tooMany.body()).get("error").asText())
                .isEqualTo("Number of prompts exceeds the maximum allowed batch size of 4");
        HttpResponse<String> suffix = t.post("/v1/completions", "{\"prompt\":\"a\",\"suffix\":\"b\",\"max_tokens\":1}");
        assertThat(suffix.statusCode()).isEqualTo(422);
        assertThat(t.post("/v1/chat/completions", "{\"model\":\"x\"}").statusCode()).isEqualTo(422);
    }

    /** Token counts as the server's validation sees them. */
    static final class ModelTokens {
        static int count(String text) {
            return t == null ? -1 : t.model.tokenizer().encode(text, true, true).length;
        }
    }
}
