package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.generate.GenerationRequest;
import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.Generator;
import ai.peregrine.engine.model.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route over real HTTP, against the demo model; generated text is checked against the engine's own runs. */
class RoutesTest {
    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(o -> o);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** What the engine generates greedily on its own session for this prompt. */
    static GenerationResult engineGreedy(String prompt, int maxNewTokens) {
        try (Session s = t.model.newSession(t.model.config().contextLength())) {
            return new Generator(t.model.tokenizer()).generate(s,
                    GenerationRequest.text(prompt).maxNewTokens(maxNewTokens).details(true).build());
        }
    }

    @Test
    void generateReturnsTheEngineGreedyTextWithDetailsAndTgiHeaders() {
        HttpResponse<String> r = t.post("/generate",
                "{\"inputs\":\"The falcon\",\"parameters\":{\"max_new_tokens\":7,\"details\":true,\"do_sample\":false}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.json(r.body());
        GenerationResult expected = engineGreedy("The falcon", 7);
        assertThat(body.get("generated_text").asText()).isEqualTo(expected.generatedText());
        JsonNode d = body.get("details");
        assertThat(d.get("finish_reason").asText()).isEqualTo(expected.finishReason().wire());
        assertThat(d.get("generated_tokens").asInt()).isEqualTo(expected.generatedTokens());
        assertThat(d.get("seed").isNull()).isTrue();
        assertThat(d.get("prefill")).isEmpty();
        assertThat(d.get("tokens")).hasSize(expected.tokens().size());
        for (int i = 0; i < expected.tokens().size(); i++) {
            assertThat(d.get("tokens").get(i).get("id").asInt()).isEqualTo(expected.tokens().get(i).id());
        }
        assertThat(r.headers().firstValue("x-prompt-tokens")).hasValue(Integer.toString(expected.promptTokens()));
        assertThat(r.headers().firstValue("x-generated-tokens")).hasValue(Integer.toString(expected.generatedTokens()));
        assertThat(r.headers().firstValue("x-compute-characters")).hasValue("10");
        for (String h : List.of("x-compute-type", "x-compute-time", "x-total-time", "x-validation-time", "x-queue-time",
                "x-inference-time", "x-time-per-token")) {
            assertThat(r.headers().firstValue(h)).as(h).isPresent();
        }
    }

    @Test
    void decoderInputDetailsReportsPrefillTokensWithANullFirstLogprob() {
        HttpResponse<String> r = t.post("/generate",
                "{\"inputs\":\"abc def\",\"parameters\":{\"max_new_tokens\":2,\"decoder_input_details\":true,\"top_n_tokens\":3}}");
        JsonNode d = TestServer.json(r.body()).get("details");
        int promptTokens = t.model.tokenizer().encode("abc def", true, true).length;
        assertThat(d.get("prefill")).hasSize(promptTokens);
        assertThat(d.get("prefill").get(0).get("logprob").isNull()).isTrue();
        if (promptTokens > 1) assertThat(d.get("prefill").get(1).get("logprob").asDouble()).isLessThanOrEqualTo(0);
        assertThat(d.get("top_tokens")).hasSize(2);
        assertThat(d.get("top_tokens").get(0)).hasSize(3);
    }

    @Test
    void generateStreamSendsOneEventPerTokenAndTheTextWithDetailsLast() {
        HttpResponse<String> r = t.post("/generate_stream",
                "{\"inputs\":\"The falcon\",\"parameters\":{\"max_new_tokens\":6,\"details\":true}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(r.body()).startsWith("data:{");
        List<String> events = SseEvents.parse(r.body());
        GenerationResult expected = engineGreedy("The falcon", 6);
        assertThat(events).hasSize(expected.generatedTokens());
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = TestServer.json(events.get(i));
            assertThat(e.get("index").asInt()).isEqualTo(i + 1);
            assertThat(e.get("token").get("id").asInt()).isEqualTo(expected.tokens().get(i).id());
            boolean last = i == events.size() - 1;
            assertThat(e.get("generated_text").isNull()).isEqualTo(!last);
            assertThat(e.get("details").isNull()).isEqualTo(!last);
        }
        JsonNode last = TestServer.json(events.getLast());
        assertThat(last.get("generated_text").asText()).isEqualTo(expected.generatedText());
        assertThat(last.get("details").get("finish_reason").asText()).isEqualTo("length");
        assertThat(last.get("details").get("input_length").asInt()).isEqualTo(expected.promptTokens());
    }

    @Test
    void compatRouteAnswersAOneElementArrayWithTheFullTextOrStreams() {
        HttpResponse<String> r = t.post("/", "{\"inputs\":\"The falcon\",\"parameters\":{\"max_new_tokens\":4}}");
        JsonNode body = TestServer.json(r.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        // TGI's compat route defaults return_full_text to true for text-generation models.
        assertThat(body.get(0).get("generated_text").asText()).isEqualTo("The falcon" + engineGreedy("The falcon", 4).generatedText());

        HttpResponse<String> s = t.post("/", "{\"inputs\":\"The falcon\",\"stream\":true,\"parameters\":{\"max_new_tokens\":4,\"return_full_text\":false}}");
        List<String> events = SseEvents.parse(s.body());
        assertThat(events).hasSize(4);
        assertThat(TestServer.json(events.getLast()).get("generated_text").asText()).isEqualTo(engineGreedy("The falcon", 4).generatedText());
    }

    @Test
    void invocationsAnswersTheSeedPayloadWithAGeneratedTextArray() {
        HttpResponse<String> r = t.post("/invocations", "{\"inputs\": \"Where is Munich? and is it beautiful?\", "
                + "\"parameters\": {\"top_p\": 0.9, \"temperature\": 0.8, \"max_new_tokens\": 512, \"repetition_penalty\": 1.03}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.json(r.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).fieldNames()).toIterable().containsExactly("generated_text");
        assertThat(body.get(0).get("generated_text").asText()).startsWith("Where is Munich? and is it beautiful?");
        assertThat(Integer.parseInt(r.headers().firstValue("x-generated-tokens").orElseThrow())).isBetween(1, 512);
    }

    @Test
    void invocationsAlsoTakesOpenAiChatAndCompletionBodies() {
        JsonNode chat = TestServer.json(t.post("/invocations",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,\"temperature\":0}").body());
        assertThat(chat.get("object").asText()).isEqualTo("chat.completion");
        assertThat(chat.get("usage").get("completion_tokens").asInt()).isBetween(1, 3);
        JsonNode completion = TestServer.json(t.post("/invocations", "{\"prompt\":\"hi\",\"max_tokens\":3,\"temperature\":0}").body());
        assertThat(completion.get("object").asText()).isEqualTo("text_completion");
        assertThat(completion.get("choices").get(0).get("text").asText()).isEqualTo(engineGreedy("hi", 3).generatedText());
    }

    @Test
    void pingHealthInfoAndModelsAnswer() {
        HttpResponse<String> ping = t.get("/ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEmpty();
        assertThat(t.get("/health").statusCode()).isEqualTo(200);
        JsonNode info = TestServer.json(t.get("/info").body());
        assertThat(info.get("model_id").asText()).isEqualTo("demo");
        assertThat(info.get("max_total_tokens").asInt()).isEqualTo(t.model.config().contextLength());
        assertThat(info.get("max_input_tokens").asInt()).isEqualTo(t.model.config().contextLength() - 1);
        assertThat(info.get("max_concurrent_requests").asInt()).isEqualTo(128);
        assertThat(info.get("model_dtype").asText()).isEqualTo("Q8_0");
        JsonNode models = TestServer.json(t.get("/v1/models").body());
        assertThat(models.get("data").get(0).get("id").asText()).isEqualTo("demo");
    }

    @Test
    void tokenizeListsTheTokensWithOffsets() {
        JsonNode tokens = TestServer.json(t.post("/tokenize", "{\"inputs\":\"Hello world\"}").body());
        int[] ids = t.model.tokenizer().encode("Hello world", true, true);
        assertThat(tokens).hasSize(ids.length);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            JsonNode tok = tokens.get(i);
            assertThat(tok.get("id").asInt()).isEqualTo(ids[i]);
            assertThat(tok.get("start").asInt()).isEqualTo(text.length());
            text.append(tok.get("text").asText());
            assertThat(tok.get("stop").asInt()).isEqualTo(text.length());
        }
        assertThat(text.toString()).isEqualTo("Hello world");
    }

    @Test
    void openAiCompletionsAndChatStreamAndNot() {
        JsonNode c = TestServer.json(t.post("/v1/completions",
                "{\"model\":\"demo\",\"prompt\":[\"a b\",\"c d\"],\"max_tokens\":4,\"temperature\":0}").body());
        assertThat(c.get("choices")).hasSize(2);
        assertThat(c.get("choices").get(1).get("index").asInt()).isEqualTo(1);
        assertThat(c.get("choices").get(1).get("text").asText()).isEqualTo(engineGreedy("c d", 4).generatedText());
        assertThat(c.get("usage").get("total_tokens").asInt())
                .isEqualTo(c.get("usage").get("prompt_tokens").asInt() + c.get("usage").get("completion_tokens").asInt());

        String prompt = "User: hi\n\nAssistant:"; // the Falcon-Instruct template, as the demo model has none
        HttpResponse<String> s = t.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\" hi \"}],"
                + "\"max_tokens\":5,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        List<String> events = SseEvents.parse(s.body());
        assertThat(s.body()).contains("data: [DONE]\n\n");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode usage = TestServer.json(events.get(events.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        StringBuilder text = new StringBuilder();
        List<String> chunks = events.subList(0, events.size() - 2);
        for (String e : chunks) text.append(TestServer.json(e).get("choices").get(0).get("delta").get("content").asText());
        GenerationResult expected = engineGreedy(prompt, 5);
        assertThat(text.toString()).isEqualTo(expected.generatedText());
        assertThat(TestServer.json(chunks.getFirst()).get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(TestServer.json(chunks.getLast()).get("choices").get(0).get("finish_reason").asText()).isIn("length", "stop");
        assertThat(usage.get("usage").get("prompt_tokens").asInt()).isEqualTo(expected.promptTokens());

        JsonNode chat = TestServer.json(t.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5,\"temperature\":0}").body());
        assertThat(chat.get("choices").get(0).get("message").get("content").asText()).isEqualTo(expected.generatedText());
    }

    @Test
    void metricsCountRequestsUnderTgiNames() {
        t.post("/generate", "{\"inputs\":\"x\",\"parameters\":{\"max_new_tokens\":2}}");
        t.post("/generate", "{\"inputs\":\"x\",\"parameters\":{\"temperature\":0}}");
        String m = t.get("/metrics").body();
        assertThat(m).containsPattern("(?m)^tgi_request_count [1-9]");
        assertThat(m).containsPattern("(?m)^tgi_request_success [1-9]");
        assertThat(m).containsPattern("(?m)^tgi_request_failure\\{err=\"validation\"} [1-9]");
        for (String name : List.of("tgi_request_duration", "tgi_request_queue_duration", "tgi_request_inference_duration",
                "tgi_request_mean_time_per_token_duration", "tgi_request_input_length", "tgi_request_generated_tokens")) {
            assertThat(m).containsPattern("(?m)^" + name + "_count [1-9]");
        }
        assertThat(m).containsPattern("(?m)^tgi_queue_size ");
        assertThat(m).containsPattern("(?m)^tgi_batch_current_size ");
        assertThat(m).as("prompts per prefill pass").containsPattern("(?m)^tgi_batch_next_size_count [1-9]")
                .containsPattern("(?m)^tgi_batch_next_size_max [1-9]");
    }

    @Test
    void metricsIncludeTheJvmsGcPausesAndMemory() throws InterruptedException {
        System.gc(); // a collection for the GC listener to report (its notifications arrive asynchronously)
        String m = t.get("/metrics").body();
        for (int i = 0; i < 50 && !m.contains("jvm_gc_pause_seconds_count"); i++) {
            Thread.sleep(100);
            m = t.get("/metrics").body();
        }
        assertThat(m).containsPattern("(?m)^jvm_gc_pause_seconds_count\\{.*cause=\"System.gc\\(\\)\".*} [1-9]");
        assertThat(m).containsPattern("(?m)^jvm_memory_used_bytes\\{.*area=\"heap\".*} [0-9]");
        assertThat(m).containsPattern("(?m)^jvm_threads_live_threads [1-9]");
        assertThat(m).containsPattern("(?m)^process_uptime_seconds [0-9]");
        assertThat(m).containsPattern("(?m)^tgi_queue_size "); // beside TGI's own
    }
}
