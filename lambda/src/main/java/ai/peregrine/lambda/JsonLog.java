package ai.peregrine.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON line per request (CloudWatch Logs Insights parses it): request id, outcome, status, latency and token
 * counts. Never the prompt, the answer, headers or credentials.
 */
final class JsonLog {
    private final ObjectMapper json;

    JsonLog(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode entry(String requestId, String endpoint) {
        ObjectNode o = json.createObjectNode();
        o.put("level", "INFO");
        o.put("request_id", requestId);
        o.put("endpoint", endpoint);
        return o;
    }

    void write(LambdaLogger logger, ObjectNode entry) {
        try {
            logger.log(json.writeValueAsString(entry) + "\n");
        } catch (JsonProcessingException e) {
            logger.log("{\"level\":\"ERROR\",\"message\":\"log entry not serializable\"}\n");
        }
    }
}
