package ai.peregrine.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** A SageMaker Runtime error before a stream, answered as the Lambda function answers it on /generate. */
final class RuntimeErrors {
    private RuntimeErrors() {}

    static void answer(GatewayServer.Exchange x, int status, byte[] body) {
        JsonNode error;
        try {
            error = GatewayServer.JSON.readTree(body);
        } catch (IOException e) {
            error = GatewayServer.JSON.createObjectNode();
        }
        if (status == 424 && error.has("OriginalStatusCode") && error.has("OriginalMessage")) {
            x.res.header("Content-Type", "application/json");
            x.send(error.get("OriginalStatusCode").asInt(), error.get("OriginalMessage").asText());
        } else if (status == 429) {
            x.message(429, "Too many requests: the model is busy, retry later");
        } else {
            x.message(502, "Bad Gateway");
        }
    }
}
