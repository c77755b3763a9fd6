package ai.peregrine.server.sagemaker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * AWS event-stream messages (application/vnd.amazon.eventstream), big-endian:
 * {@code total_len:u32 | headers_len:u32 | prelude_crc:u32 | headers | payload | message_crc:u32}, where the
 * prelude CRC32 covers the first 8 bytes and the message CRC32 everything before it. Headers here are all strings:
 * {@code name_len:u8 | name | 7 | value_len:u16 | value}.
 */
public final class EventStreamEncoder {
    private static final byte STRING_TYPE = 7;

    private EventStreamEncoder() {}

    /** A {@code PayloadPart} event carrying raw container bytes. */
    public static byte[] payloadPart(byte[] bytes) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":event-type", "PayloadPart");
        h.put(":content-type", "application/octet-stream");
        h.put(":message-type", "event");
        return message(h, bytes);
    }

    /** A modeled exception event ({@code ModelStreamError}, {@code InternalStreamFailure}) with a JSON payload. */
    public static byte[] exception(String exceptionType, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":exception-type", exceptionType);
        h.put(":content-type", "application/json");
        h.put(":message-type", "exception");
        return message(h, json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] message(Map<String, String> headers, byte[] payload) {
        byte[] encodedHeaders = headers(headers);
        int total = 12 + encodedHeaders.length + payload.length + 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(encodedHeaders.length);
        b.putInt((int) crc(b.array(), 0, 8));
        b.put(encodedHeaders).put(payload);
        b.putInt((int) crc(b.array(), 0, total - 4));
        return b.array();
    }

    private static byte[] headers(Map<String, String> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            if (n.length > 255 || v.length > 0xFFFF) throw new IllegalArgumentException("header too long: " + name);
            out.write(n.length);
            out.writeBytes(n);
            out.write(STRING_TYPE);
            out.write(v.length >>> 8);
            out.write(v.length & 0xFF);
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 c = new CRC32();
        c.update(bytes, offset, length);
        return c.getValue();
    }
}
