package ai.peregrine.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.logging.Logger;

/** One JSON line per request, like API Gateway's access logs: no body, no key, only the key's id. */
final class AccessLog {
    private static final Logger LOG = Logger.getLogger("ai.peregrine.gateway.access");

    private AccessLog() {}

    static void write(GatewayServer.Exchange x) {
        ObjectNode o = GatewayServer.JSON.createObjectNode();
        o.put("request_id", x.requestId);
        o.put("ip", x.req.remotePeer().host());
        o.put("method", x.req.prologue().method().text());
        o.put("path", x.req.path().path());
        o.put("status", x.status);
        o.put("latency_ms", (System.nanoTime() - x.startNanos) / 1_000_000);
        o.put("api_key_id", x.keyId);
        LOG.info(o.toString());
    }
}
