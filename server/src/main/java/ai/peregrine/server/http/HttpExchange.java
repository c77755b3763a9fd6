package ai.peregrine.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;

/** Request body reading under PAYLOAD_LIMIT, and JSON / error responses. */
public final class HttpExchange {
    private HttpExchange() {}

    /**
     * The whole body, refusing one over {@code limit} bytes with 413 (by Content-Length when given, else while
     * reading) and a non-JSON Content-Type with 415. A missing Content-Type is accepted, for curl-style clients.
     */
    public static byte[] readJsonBody(ServerRequest req, long limit) {
        req.headers().first(HeaderNames.CONTENT_TYPE).ifPresent(ct -> {
            String t = ct.toLowerCase(Locale.ROOT);
            if (!(t.startsWith("application/json") || t.contains("+json"))) throw ApiError.unsupportedMediaType();
        });
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > limit) throw ApiError.payloadTooLarge(limit);
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) throw ApiError.payloadTooLarge(limit);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sendJson(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    public static void sendError(ServerResponse res, ApiError e) {
        sendJson(res, e.status(), Json.error(e.getMessage(), e.errorType()));
    }
}
