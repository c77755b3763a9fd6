package ai.peregrine.server.tgi;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.http.HttpExchange;
import ai.peregrine.server.http.Json;
import ai.peregrine.server.http.SseWriter;
import ai.peregrine.server.inference.InferenceJob;
import ai.peregrine.server.inference.JobEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/** TGI's generating routes: {@code POST /generate}, {@code POST /generate_stream} and the compat {@code POST /}. */
public final class TgiGenerateRoutes {
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final ServerConfig config;
    private final TextGeneration generation;
    private final boolean defaultReturnFullText;

    /** {@code defaultReturnFullText}: what compat routes assume when return_full_text is absent (TGI: true for text-generation). */
    public TgiGenerateRoutes(ServerConfig config, TextGeneration generation, boolean defaultReturnFullText) {
        this.config = config;
        this.generation = generation;
        this.defaultReturnFullText = defaultReturnFullText;
    }

    public void generate(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        generation.metrics().requestReceived();
        GenerateRequestBody body = GenerateRequestBody.parse(Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit())));
        HttpExchange.sendJson(res, 200, generateJson(res, body, received));
    }

    public void generateStream(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        generation.metrics().requestReceived();
        GenerateRequestBody body = GenerateRequestBody.parse(Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit())));
        stream(res, body, received);
    }

    /** TGI's compat_generate: return_full_text defaults from the pipeline; {@code stream} picks SSE; else a one-element array. */
    public void compat(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        generation.metrics().requestReceived();
        GenerateRequestBody body = GenerateRequestBody.parse(Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit())));
        compat(res, body, received);
    }

    public void compat(ServerResponse res, GenerateRequestBody body, long received) {
        GenerateParameters p = body.parameters();
        if (p.returnFullText() == null) p = p.withReturnFullText(defaultReturnFullText);
        GenerateRequestBody withDefault = new GenerateRequestBody(body.inputs(), p, body.stream());
        if (body.stream()) {
            stream(res, withDefault, received);
        } else {
            ArrayNode array = Json.MAPPER.createArrayNode();
            array.add(generateJson(res, withDefault, received));
            HttpExchange.sendJson(res, 200, array);
        }
    }

    private ObjectNode generateJson(ServerResponse res, GenerateRequestBody body, long received) {
        GenerateParameters p = body.parameters();
        TextGeneration.Completed done = generation.generate(body.inputs(), p, received);
        GenerationResult r = done.result();
        boolean details = p.details() || p.decoderInputDetails();
        List<ObjectNode> bestOf = done.others().isEmpty() ? null
                : done.others().stream().map(o -> GenerateResponseJson.bestOfSequence(o, text(body, o), p.decoderInputDetails())).toList();
        ObjectNode json = GenerateResponseJson.toJson(r, text(body, r), details, p.decoderInputDetails(), bestOf);
        TimingHeaders.set(res, body.inputs(), r, done.times());
        generation.metrics().requestSucceeded(done.times(), r.generatedTokens());
        return json;
    }

    private static String text(GenerateRequestBody body, GenerationResult r) {
        return Boolean.TRUE.equals(body.parameters().returnFullText()) ? body.inputs() + r.generatedText() : r.generatedText();
    }

    /**
     * TGI's generate_stream: one {@code data:{StreamResponse}} event per token, the last with generated_text and
     * (when asked) details; errors, validation included, arrive as an error event on a 200 stream.
     */
    private void stream(ServerResponse res, GenerateRequestBody body, long received) {
        TimingHeaders.setStreaming(res, body.inputs());
        SseWriter sse = new SseWriter(res, "data:");
        try (sse) {
            InferenceJob job;
            try {
                RequestValidator.checkStreamable(body.parameters());
                job = generation.start(body.inputs(), body.parameters(), received);
            } catch (ApiError e) {
                if (e.metricLabel() != null) generation.metrics().requestFailed(e.metricLabel());
                sse.event(Json.write(Json.error(e.getMessage(), e.errorType())));
                return;
            }
            relay(sse, job, body);
        }
    }

    private void relay(SseWriter sse, InferenceJob job, GenerateRequestBody body) {
        int index = 0;
        JobEvent.Token last = null; // sent together with the Done event that follows it
        try {
            while (true) {
                JobEvent e = job.poll(KEEP_ALIVE_MILLIS);
                if (e == null) {
                    sse.keepAlive();
                } else if (e instanceof JobEvent.Token t) {
                    if (t.last()) last = t;
                    else sse.event(Json.write(streamEvent(++index, t, null, null)));
                } else if (e instanceof JobEvent.Done d) {
                    GenerationResult r = d.result();
                    ObjectNode details = body.parameters().details() ? GenerateResponseJson.streamDetails(r) : null;
                    sse.event(Json.write(streamEvent(++index, last, text(body, r), details)));
                    generation.metrics().requestSucceeded(d.times(), r.generatedTokens());
                    return;
                } else if (e instanceof JobEvent.Failed f) {
                    ApiError err = TextGeneration.failure(f.cause());
                    generation.metrics().requestFailed(err.metricLabel());
                    sse.event(Json.write(Json.error(err.getMessage(), err.errorType())));
                    return;
                }
            }
        } catch (SseWriter.ClientDisconnectedException e) {
            job.cancel();
            generation.metrics().requestFailed("cancelled");
            throw e;
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode streamEvent(int index, JobEvent.Token t, String generatedText, ObjectNode details) {
        ObjectNode o = Json.object();
        o.put("index", index);
        o.set("token", GenerateResponseJson.token(t.token()));
        if (!t.token().topTokens().isEmpty()) {
            ArrayNode top = o.putArray("top_tokens");
            t.token().topTokens().forEach(x -> top.add(GenerateResponseJson.token(x)));
        }
        if (generatedText == null) o.putNull("generated_text");
        else o.put("generated_text", generatedText);
        if (details == null) o.putNull("details");
        else o.set("details", details);
        return o;
    }
}
