package ai.peregrine.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** {@code GET /jobs/{id}}: status, times, and once finished the function's status code and body (as JSON when it is). */
final class JobJson {
    private JobJson() {}

    static ObjectNode of(JobStore.Job j) {
        ObjectNode o = GatewayServer.JSON.createObjectNode();
        o.put("id", j.id());
        o.put("status", j.status());
        o.put("created", j.created().toString());
        o.put("updated", j.updated().toString());
        if (j.resultStatus() != null) {
            ObjectNode result = o.putObject("result");
            result.put("status_code", j.resultStatus());
            result.set("body", parsed(j.resultBody()));
        }
        if (j.error() != null) o.put("error", j.error());
        return o;
    }

    private static JsonNode parsed(String body) {
        try {
            return GatewayServer.JSON.readTree(body == null ? "null" : body);
        } catch (IOException e) {
            return GatewayServer.JSON.getNodeFactory().textNode(body);
        }
    }
}
