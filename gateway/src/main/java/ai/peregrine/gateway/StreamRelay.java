package ai.peregrine.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * Turns the runtime's event stream back into the container's SSE: PayloadPart bytes are written through as they
 * come; a ModelStreamError or InternalStreamFailure becomes one final {@code data:{"error":…}} event.
 */
final class StreamRelay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamRelay() {}

    static void relay(InputStream eventStream, OutputStream sse) throws IOException {
        MessageDecoder decoder = new MessageDecoder(m -> write(m, sse));
        byte[] buf = new byte[8192];
        int n;
        while ((n = eventStream.read(buf)) >= 0) {
            decoder.feed(ByteBuffer.wrap(buf, 0, n));
        }
    }

    private static void write(Message m, OutputStream sse) {
        try {
            var type = m.getHeaders().get(":message-type");
            if (type != null && type.getString().equals("event")) {
                sse.write(m.getPayload());
            } else {
                var exception = m.getHeaders().get(":exception-type");
                ObjectNode body = (ObjectNode) JSON.readTree(m.getPayload());
                ObjectNode error = JSON.createObjectNode();
                error.put("error", body.path("Message").asText(body.path("message").asText("stream failed")));
                error.put("error_type", exception == null ? "stream_error" : exception.getString());
                if (body.has("ErrorCode")) error.put("error_code", body.get("ErrorCode").asText());
                sse.write(("data:" + JSON.writeValueAsString(error) + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            sse.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
