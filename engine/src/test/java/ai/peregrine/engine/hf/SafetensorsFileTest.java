package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsWhatTheWriterWrote() throws Exception {
        byte[] a = new byte[2 * 3 * 2];
        for (int i = 0; i < a.length; i++) a[i] = (byte) i;
        byte[] b = new byte[4 * 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1.5f, -2f, 3.25f, 0f});
        Path file = tmp.resolve("m.safetensors");
        SafetensorsWriter.write(file, List.of(
                new SafetensorsWriter.Tensor("w", SafetensorsDtype.BF16, new long[] {2, 3}, a),
                new SafetensorsWriter.Tensor("n", SafetensorsDtype.F32, new long[] {4}, b)));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the data section starts 8-aligned");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("w", "n"), List.copyOf(f.tensors().keySet()));
            SafetensorsTensor w = f.tensors().get("w");
            assertEquals(SafetensorsDtype.BF16, w.dtype());
            assertArrayEquals(new long[] {2, 3}, w.shape());
            assertArrayEquals(a, w.data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(b, f.tensors().get("n").data().toArray(ValueLayout.JAVA_BYTE));
            assertEquals("pt", f.metadata().get("format"));
        }
    }

    @Test
    void truncatedFileIsReportedAsSuch() throws Exception {
        Path file = tmp.resolve("m.safetensors");
        SafetensorsWriter.write(file, List.of(new SafetensorsWriter.Tensor("w", SafetensorsDtype.F32, new long[] {64}, new byte[256])));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 10));
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("tensor w ends at byte 256 of the data but the file holds only 246 (truncated download?)"), e.getMessage());
        Files.write(file, Arrays.copyOf(all, 20));
        e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("the header needs"), e.getMessage());
    }

    @Test
    void headerDtypeThatDisagreesWithTheBytesIsRejected() throws Exception {
        Path file = header("{\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains("tensor w: data_offsets span 16 bytes but BF16 [4] needs 8"), e.getMessage());
    }

    @Test
    void malformedHeadersAreRejectedByName() throws Exception {
        assertMessage(header("{\"w\":{\"dtype\":\"F33\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16), "tensor w: unknown dtype \"F33\"");
        assertMessage(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", 16), "tensor w: bad shape [-4]");
        assertMessage(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16]}}", 16), "tensor w: data_offsets is not a pair");
        assertMessage(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,0]}}", 16), "tensor w: bad data_offsets [8,0]");
        assertMessage(header("[1, 2]", 0), "the safetensors header is not a JSON object");
        assertMessage(header("{\"w\": nope", 0), "the safetensors header is not valid JSON");
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[5]);
        assertMessage(tiny, "is not a safetensors file (5 bytes, too short for a header)");
        Path huge = tmp.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertMessage(huge, "is not a safetensors file (header length");
    }

    private void assertMessage(Path file, String expected) {
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path header(String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Path file = Files.createTempFile(tmp, "h", ".safetensors");
        Files.write(file, buf.array());
        return file;
    }
}
