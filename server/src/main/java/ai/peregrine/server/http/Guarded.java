package ai.peregrine.server.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Wraps a route so that an {@link ApiError} is answered as TGI's error JSON and counted; anything else is a 500. */
public final class Guarded {
    private static final Logger LOG = Logger.getLogger(Guarded.class.getName());

    private Guarded() {}

    /** {@code onFailure} receives the error's metric label (tgi_request_failure{err}). */
    public static Handler handler(Consumer<String> onFailure, Handler route) {
        return (ServerRequest req, ServerResponse res) -> {
            try {
                route.handle(req, res);
            } catch (ApiError e) {
                if (e.metricLabel() != null) onFailure.accept(e.metricLabel());
                if (!res.isSent()) HttpExchange.sendError(res, e);
            } catch (SseWriter.ClientDisconnectedException e) {
                // the client left mid-stream; the route has cancelled its job
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "request failed: " + req.path().path(), e);
                if (!res.isSent()) {
                    HttpExchange.sendError(res, new ApiError(500, "Internal server error: " + e, "internal", null));
                }
            }
        };
    }
}
