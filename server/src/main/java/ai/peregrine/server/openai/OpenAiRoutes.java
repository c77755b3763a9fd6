package ai.peregrine.server.openai;

import ai.peregrine.engine.generate.FinishReason;
import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.http.HttpExchange;
import ai.peregrine.server.http.Json;
import ai.peregrine.server.http.SseWriter;
import ai.peregrine.server.inference.InferenceJob;
import ai.peregrine.server.inference.JobEvent;
import ai.peregrine.server.tgi.TextGeneration;
import ai.peregrine.server.tgi.TgiInfoRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** OpenAI-compatible {@code /v1/completions}, {@code /v1/chat/completions} (stream and not) and {@code /v1/models}. */
public final class OpenAiRoutes {
    private static final long KEEP_ALIVE_MILLIS = 15_000;
    private static final String FINGERPRINT = TgiInfoRoutes.VERSION + "-native";

    private final ServerConfig config;
    private final TextGeneration generation;
    private final ChatTemplate template;

    public OpenAiRoutes(ServerConfig config, TextGeneration generation, ChatTemplate template) {
        this.config = config;
        this.generation = generation;
        this.template = template;
    }

    public void models(ServerRequest req, ServerResponse res) {
        ObjectNode o = Json.object();
        o.put("object", "list");
        ObjectNode m = o.putArray("data").addObject();
        m.put("id", config.modelId());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", config.modelId());
        HttpExchange.sendJson(res, 200, o);
    }

    public void completions(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        generation.metrics().requestReceived();
        JsonNode body = Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit()));
        completions(res, body, received);
    }

    public void chat(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        generation.metrics().requestReceived();
        JsonNode body = Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit()));
        chat(res, body, received);
    }

    public void completions(ServerResponse res, JsonNode body, long received) {
        OpenAiRequest r = OpenAiRequest.parseCompletion(body, config.maxClientBatchSize());
        List<InferenceJob> jobs = new ArrayList<>();
        try {
            for (String prompt : r.prompts()) jobs.add(generation.start(prompt, r.parameters(), received));
        } catch (RuntimeException e) {
            jobs.forEach(InferenceJob::cancel);
            throw e;
        }
        if (r.stream()) {
            stream(res, jobs, r, false);
            return;
        }
        ObjectNode o = envelope("text_completion", "cmpl-");
        ArrayNode choices = o.putArray("choices");
        int promptTokens = 0;
        int completionTokens = 0;
        for (int i = 0; i < jobs.size(); i++) {
            JobEvent.Done d = awaitAll(jobs, i);
            GenerationResult g = d.result();
            ObjectNode c = choices.addObject();
            c.put("index", i);
            c.put("text", g.generatedText());
            c.putNull("logprobs");
            c.put("finish_reason", finishReason(g.finishReason()));
            promptTokens += g.promptTokens();
            completionTokens += g.generatedTokens();
            generation.metrics().requestSucceeded(d.times(), g.generatedTokens());
        }
        o.set("usage", usage(promptTokens, completionTokens));
        HttpExchange.sendJson(res, 200, o);
    }

    public void chat(ServerResponse res, JsonNode body, long received) {
        OpenAiRequest r = OpenAiRequest.parseChat(body);
        String prompt = template.render(r.messages());
        InferenceJob job = generation.start(prompt, r.parameters(), received);
        if (r.stream()) {
            stream(res, List.of(job), r, true);
            return;
        }
        JobEvent.Done d = awaitAll(List.of(job), 0);
        GenerationResult g = d.result();
        ObjectNode o = envelope("chat.completion", "chatcmpl-");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        ObjectNode message = c.putObject("message");
        message.put("role", "assistant");
        message.put("content", g.generatedText());
        c.putNull("logprobs");
        c.put("finish_reason", finishReason(g.finishReason()));
        o.set("usage", usage(g.promptTokens(), g.generatedTokens()));
        generation.metrics().requestSucceeded(d.times(), g.generatedTokens());
        HttpExchange.sendJson(res, 200, o);
    }

    /** Waits for job i; on failure cancels the others so their sessions are freed. */
    private static JobEvent.Done awaitAll(List<InferenceJob> jobs, int i) {
        try {
            return TextGeneration.await(jobs.get(i));
        } catch (RuntimeException e) {
            jobs.forEach(InferenceJob::cancel);
            throw e;
        }
    }

    /**
     * One chunk per token (prompts of a multi-prompt completion one after the other; they run concurrently),
     * the last chunk of each with its finish_reason, a usage chunk when asked, then {@code data: [DONE]}.
     */
    private void stream(ServerResponse res, List<InferenceJob> jobs, OpenAiRequest r, boolean chat) {
        SseWriter sse = new SseWriter(res, "data: ");
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID();
        int promptTokens = 0;
        int completionTokens = 0;
        int current = 0;
        try (sse) {
            for (; current < jobs.size(); current++) {
                GenerationResult g = relay(sse, jobs.get(current), current, id, chat);
                if (g == null) {
                    jobs.forEach(InferenceJob::cancel);
                    break;
                }
                promptTokens += g.promptTokens();
                completionTokens += g.generatedTokens();
            }
            if (r.includeUsageInStream()) {
                ObjectNode u = chunk(id, chat);
                u.putArray("choices");
                u.set("usage", usage(promptTokens, completionTokens));
                sse.event(Json.write(u));
            }
            sse.event("[DONE]");
        } catch (SseWriter.ClientDisconnectedException e) {
            jobs.forEach(InferenceJob::cancel);
            generation.metrics().requestFailed("cancelled");
            throw e;
        }
    }

    /** Relays one job's tokens; returns its result, or null after sending an error event. */
    private GenerationResult relay(SseWriter sse, InferenceJob job, int index, String id, boolean chat) {
        boolean first = true;
        String lastDelta = "";
        try {
            while (true) {
                JobEvent e = job.poll(KEEP_ALIVE_MILLIS);
                if (e == null) {
                    sse.keepAlive();
                } else if (e instanceof JobEvent.Token t) {
                    if (t.last()) { // sent with its finish_reason once Done arrives
                        lastDelta = t.textDelta();
                        continue;
                    }
                    sse.event(Json.write(tokenChunk(id, chat, index, t.textDelta(), first, null)));
                    first = false;
                } else if (e instanceof JobEvent.Done d) {
                    GenerationResult g = d.result();
                    sse.event(Json.write(tokenChunk(id, chat, index, lastDelta, first, finishReason(g.finishReason()))));
                    generation.metrics().requestSucceeded(d.times(), g.generatedTokens());
                    return g;
                } else if (e instanceof JobEvent.Failed f) {
                    ApiError err = TextGeneration.failure(f.cause());
                    generation.metrics().requestFailed(err.metricLabel());
                    sse.event(Json.write(Json.error(err.getMessage(), err.errorType())));
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel();
            return null;
        }
    }

    private ObjectNode tokenChunk(String id, boolean chat, int index, String text, boolean first, String finish) {
        ObjectNode o = chunk(id, chat);
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", index);
        if (chat) {
            ObjectNode delta = c.putObject("delta");
            if (first) delta.put("role", "assistant");
            delta.put("content", text);
        } else {
            c.put("text", text);
        }
        c.putNull("logprobs");
        if (finish == null) c.putNull("finish_reason");
        else c.put("finish_reason", finish);
        return o;
    }

    private ObjectNode chunk(String id, boolean chat) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("object", chat ? "chat.completion.chunk" : "text_completion");
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", config.modelId());
        o.put("system_fingerprint", FINGERPRINT);
        return o;
    }

    private ObjectNode envelope(String object, String idPrefix) {
        ObjectNode o = Json.object();
        o.put("id", idPrefix + UUID.randomUUID());
        o.put("object", object);
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", config.modelId());
        o.put("system_fingerprint", FINGERPRINT);
        return o;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    /** OpenAI's vocabulary: "length" when max_tokens was reached, "stop" for EOS or a stop sequence. */
    static String finishReason(FinishReason r) {
        return r == FinishReason.LENGTH ? "length" : "stop";
    }
}
