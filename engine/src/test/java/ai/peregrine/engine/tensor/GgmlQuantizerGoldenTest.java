package ai.peregrine.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.synthetic.GgmlEncoding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peregrine's K-quant code against ggml's own (goldens: tools/oracle/regen-quantizer-goldens.sh runs ggml's C code on
 * the same {@link QuantizerGoldenInputs}): the quantizers write the same bytes as {@code quantize_row_qN_K_ref}, the
 * matrices dequantize to the same floats as {@code dequantize_row_qN_K}, and activations land on the same q8_K grid
 * as {@code quantize_row_q8_K_ref}. All bit for bit.
 */
class GgmlQuantizerGoldenTest {
    private static JsonNode golden;
    private static float[] values;

    @BeforeAll
    static void load() throws Exception {
        golden = new ObjectMapper().readTree(GgmlQuantizerGoldenTest.class.getResource("/golden/quantizers.json"));
        values = QuantizerGoldenInputs.values();
        assertEquals(golden.get("values_sha256").asText(), sha256(QuantizerGoldenInputs.littleEndian(values)),
                "the inputs changed; rerun tools/oracle/regen-quantizer-goldens.sh");
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q5_K", "Q6_K", "Q5_0", "Q5_1"})
    void quantizerWritesGgmlsBytesAndTheMatrixReadsThemAsGgmlDoes(GgmlType type) throws Exception {
        int cols = QuantizerGoldenInputs.COLS;
        byte[] bytes = new byte[(int) type.bytesFor(values.length)];
        int rowBytes = (int) type.bytesFor(cols);
        for (int r = 0; r < QuantizerGoldenInputs.ROWS; r++) GgmlEncoding.encode(type, values, r * cols, cols, bytes, r * rowBytes);
        assertEquals(golden.get("quantized").get(name(type)).asText(), sha256(bytes), type + " bytes differ from quantize_row_" + name(type) + "_ref");
        assertEquals(golden.get("dequantized").get(name(type)).asText(), sha256(dequantized(type, bytes)), type + " values differ from dequantize_row_" + name(type));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q5_K", "Q6_K", "Q5_0", "Q5_1"})
    void arbitraryBlocksDequantizeAsGgmlDoes(GgmlType type) throws Exception {
        assertEquals(golden.get("random_dequantized").get(name(type)).asText(), sha256(dequantized(type, QuantizerGoldenInputs.randomBlocks(type))));
    }

    /** The q8_K blocks (f32 d, 256 int8, 16 int16 sums of 16) that ggml would make of the same activations. */
    @Test
    void activationsLandOnGgmlsQ8KGrid() throws Exception {
        int rows = QuantizerGoldenInputs.ROWS, cols = QuantizerGoldenInputs.COLS;
        QuantizedActivations a = new QuantizedActivations(rows, cols);
        float[] rounded = new float[values.length];
        a.quantizeK(values, rows, cols, rounded);
        ByteBuffer q8K = ByteBuffer.allocate(values.length / 256 * 292).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < values.length / 256; b++) {
            q8K.putFloat(a.scale[b]);
            for (int i = 0; i < 256; i++) {
                q8K.put((byte) a.q[256 * b + i]);
                assertEquals(a.q[256 * b + i] * a.scale[b], rounded[256 * b + i], "rounded value " + (256 * b + i));
            }
            for (int g = 0; g < 16; g++) {
                int s = 0;
                for (int i = 0; i < 16; i++) s += a.q[256 * b + 16 * g + i];
                q8K.putShort((short) s);
            }
            for (int h = 0; h < 8; h++) assertEquals(sumOf(a.q, 256 * b + 32 * h, 32), a.sum[8 * b + h], "sum of 32 at block " + b);
        }
        assertEquals(golden.get("q8_K").asText(), sha256(q8K.array()));
    }

    private static int sumOf(short[] q, int from, int n) {
        int s = 0;
        for (int i = from; i < from + n; i++) s += q[i];
        return s;
    }

    private static byte[] dequantized(GgmlType type, byte[] bytes) {
        int rows = QuantizerGoldenInputs.ROWS, cols = QuantizerGoldenInputs.COLS;
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        WeightMatrix m = switch (type) {
            case Q4_K -> new Q4_KMatrix(seg, rows, cols);
            case Q5_K -> new Q5_KMatrix(seg, rows, cols);
            case Q5_0, Q5_1 -> new Q5Matrix(seg, rows, cols, type);
            default -> new Q6_KMatrix(seg, rows, cols);
        };
        float[] out = new float[rows * cols], looked = new float[rows * cols];
        for (int r = 0; r < rows; r++) m.dequantizeRow(r, out, r * cols);
        for (int r = 0; r < rows; r++) m.lookupRow(r, looked, r * cols);
        org.junit.jupiter.api.Assertions.assertArrayEquals(out, looked, type + ": lookupRow gives dequantizeRow's values");
        return QuantizerGoldenInputs.littleEndian(out);
    }

    private static String name(GgmlType type) {
        return type.name().toLowerCase(Locale.ROOT).replace("_k", "_K");
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
