package ai.peregrine.server.tgi;

import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.http.HttpExchange;
import ai.peregrine.server.http.Json;
import ai.peregrine.server.inference.InferenceScheduler;
import ai.peregrine.server.metrics.TgiMetrics;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/** TGI's non-generating routes: {@code GET /info}, {@code GET /health}, {@code GET /metrics}, {@code POST /tokenize}. */
public final class TgiInfoRoutes {
    public static final String VERSION = versionString();

    private final ServerConfig config;
    private final ServedModel served;
    private final InferenceScheduler scheduler;
    private final TgiMetrics metrics;

    public TgiInfoRoutes(ServerConfig config, ServedModel served, InferenceScheduler scheduler, TgiMetrics metrics) {
        this.config = config;
        this.served = served;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    private static String versionString() {
        String v = TgiInfoRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /** TGI HEAD's {@code Info}, plus the v0.8.2 fields the Falcon-era clients read. */
    public void info(ServerRequest req, ServerResponse res) {
        ObjectNode o = Json.object();
        o.put("model_id", config.modelId());
        o.putNull("model_sha");
        o.put("model_dtype", served.dtype());
        o.put("model_device_type", "cpu");
        o.put("model_pipeline_tag", "text-generation");
        o.put("max_concurrent_requests", config.maxConcurrentRequests());
        o.put("max_best_of", config.maxBestOf());
        o.put("max_stop_sequences", config.maxStopSequences());
        o.put("max_input_tokens", config.maxInputTokens());
        o.put("max_input_length", config.maxInputTokens());
        o.put("max_total_tokens", config.maxTotalTokens());
        o.put("max_batch_prefill_tokens", config.maxBatchPrefillTokens());
        o.put("max_batch_total_tokens", (long) scheduler.slots() * scheduler.sessionContext());
        o.put("max_batch_size", scheduler.slots());
        o.put("validation_workers", 1);
        o.put("max_client_batch_size", config.maxClientBatchSize());
        o.put("router", "peregrine");
        o.put("version", VERSION);
        o.putNull("sha");
        o.putNull("docker_label");
        HttpExchange.sendJson(res, 200, o);
    }

    public void health(ServerRequest req, ServerResponse res) {
        if (scheduler.isRunning()) {
            res.status(200).send();
        } else {
            HttpExchange.sendJson(res, 503, Json.error("unhealthy", "healthcheck"));
        }
    }

    public void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * TGI's {@code /tokenize}: {@code [{"id","text","start","stop"}]} for the request's {@code inputs}, with
     * special tokens added as for generation. Offsets are in characters of the decoded text, which is the input
     * for tokenizers that round-trip; a special token added by the tokenizer spans no characters.
     */
    public void tokenize(ServerRequest req, ServerResponse res) {
        GenerateRequestBody body = GenerateRequestBody.parse(Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit())));
        Tokenizer tokenizer = served.model().tokenizer();
        int[] ids = tokenizer.encode(body.inputs(), true, true);
        Tokenizer.StreamingDecoder decoder = tokenizer.newStreamingDecoder(false);
        ArrayNode out = Json.MAPPER.createArrayNode();
        int offset = 0;
        for (int id : ids) {
            String piece = decoder.push(id);
            int start = offset;
            offset += piece.length();
            ObjectNode t = out.addObject();
            t.put("id", id);
            t.put("text", tokenizer.decode(new int[] {id}, false));
            t.put("start", start);
            t.put("stop", offset);
        }
        HttpExchange.sendJson(res, 200, out);
    }
}
