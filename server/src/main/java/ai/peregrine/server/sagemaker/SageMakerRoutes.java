package ai.peregrine.server.sagemaker;

import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.http.HttpExchange;
import ai.peregrine.server.http.Json;
import ai.peregrine.server.metrics.TgiMetrics;
import ai.peregrine.server.openai.OpenAiRequest;
import ai.peregrine.server.openai.OpenAiRoutes;
import ai.peregrine.server.tgi.GenerateRequestBody;
import ai.peregrine.server.tgi.TgiGenerateRoutes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * SageMaker's container contract: {@code GET /ping} (200, empty, no model work so it stays fast under load)
 * and {@code POST /invocations}, which reads the body as TGI's untagged {@code SagemakerRequest}: a TGI
 * compat request ({@code inputs}), else an OpenAI chat ({@code messages}) or completion ({@code prompt}) body.
 */
public final class SageMakerRoutes {
    private final ServerConfig config;
    private final TgiGenerateRoutes tgi;
    private final OpenAiRoutes openAi;
    private final TgiMetrics metrics;

    public SageMakerRoutes(ServerConfig config, TgiGenerateRoutes tgi, OpenAiRoutes openAi, TgiMetrics metrics) {
        this.config = config;
        this.tgi = tgi;
        this.openAi = openAi;
        this.metrics = metrics;
    }

    public void ping(ServerRequest req, ServerResponse res) {
        res.status(200).send();
    }

    public void invocations(ServerRequest req, ServerResponse res) {
        long received = System.nanoTime();
        metrics.requestReceived();
        ObjectNode body = Json.parseObject(HttpExchange.readJsonBody(req, config.payloadLimit()));
        if (!body.has("inputs") && OpenAiRequest.looksLikeChat(body)) {
            openAi.chat(res, body, received);
        } else if (!body.has("inputs") && OpenAiRequest.looksLikeCompletion(body)) {
            openAi.completions(res, body, received);
        } else {
            tgi.compat(res, GenerateRequestBody.parse(body), received);
        }
    }
}
