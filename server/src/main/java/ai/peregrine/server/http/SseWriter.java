package ai.peregrine.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events written straight to the response: one {@code data:<json>\n\n} per event, flushed at once.
 * A failed write means the client went away: it surfaces as {@link ClientDisconnectedException}.
 */
public final class SseWriter implements AutoCloseable {
    /** Raised when an event cannot be written because the client closed the connection. */
    public static final class ClientDisconnectedException extends RuntimeException {
        ClientDisconnectedException(Throwable cause) {
            super("client disconnected", cause, false, false);
        }
    }

    private final OutputStream out;
    private final String prefix;

    /** {@code prefix}: "data:" as TGI's axum writes it, or "data: " as OpenAI's API does. */
    public SseWriter(ServerResponse res, String prefix) {
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header("X-Accel-Buffering", "no");
        this.out = res.outputStream();
        this.prefix = prefix;
    }

    public void event(String data) {
        write(prefix + data + "\n\n");
    }

    /** An SSE comment line: keeps idle connections open and probes whether the client is still there. */
    public void keepAlive() {
        write(":\n\n");
    }

    private void write(String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            throw new ClientDisconnectedException(e);
        } catch (RuntimeException e) {
            // Helidon reports a closed socket with its own unchecked exceptions.
            throw new ClientDisconnectedException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; nothing left to tell it
        }
    }
}
