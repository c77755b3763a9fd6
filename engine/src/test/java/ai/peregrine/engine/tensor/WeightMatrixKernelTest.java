package ai.peregrine.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The vector kernels agree with a plain double-precision dot product over the dequantized rows. */
class WeightMatrixKernelTest {
    private static final int ROWS = 37;

    /** 6 blocks of 32 (also a multiple of every vector width), or 2 super-blocks of 256 for the K-quants. */
    private static int cols(GgmlType type) {
        return type.blockSize == 256 ? 512 : 192;
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void dotAndMatmulMatchScalarReference(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(42 + type.id);
        WeightMatrix w = randomMatrix(type, rnd);
        int cols = w.cols();
        int nTok = 15; // a tile of 8, a tile of 4 and a remainder of 3
        float[] x = gaussians(rnd, nTok * cols);

        float[] out = new float[nTok * ROWS];
        w.matmul(x, nTok, out, ROWS, 0, 0, ROWS);
        float[] row = new float[cols], looked = new float[cols + 3];
        for (int r = 0; r < ROWS; r++) {
            w.dequantizeRow(r, row, 0);
            w.lookupRow(r, looked, 3);
            assertThat(java.util.Arrays.copyOfRange(looked, 3, cols + 3)).as("lookupRow %d", r).containsExactly(row);
            for (int t = 0; t < nTok; t++) {
                double expected = referenceDot(row, x, t * cols);
                assertThat((double) w.dot(r, x, t * cols)).as("dot row %d token %d", r, t).isCloseTo(expected, within(1e-3));
                assertThat((double) out[t * ROWS + r]).as("matmul row %d token %d", r, t).isCloseTo(expected, within(1e-3));
            }
        }
    }

    /**
     * In prefill (four tokens and more) a (row, token) gets the same bits whether a 2×4 tile or the remainder path
     * computed it, so a prompt's logits do not depend on how its tokens fall into tiles.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q6_K"})
    void prefillTilesAndRemaindersAgreeBitForBit(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(11 + type.id);
        WeightMatrix w = randomMatrix(type, rnd);
        int cols = w.cols();
        int nTok = 11; // two tiles of four tokens and a remainder of three
        float[] x = gaussians(rnd, nTok * cols);
        float[] all = new float[nTok * ROWS];
        w.matmul(x, nTok, all, ROWS, 0, 0, ROWS);
        for (int from = 1; from + 4 <= nTok; from += 2) { // windows that move tokens between tiles and remainders
            int n = Math.min(5, nTok - from);
            float[] window = java.util.Arrays.copyOfRange(x, from * cols, (from + n) * cols);
            float[] part = new float[n * ROWS];
            w.matmul(window, n, part, ROWS, 0, 0, ROWS);
            for (int t = 0; t < n; t++) {
                for (int r = 0; r < ROWS; r++) {
                    assertThat(part[t * ROWS + r]).as("row %d token %d", r, from + t).isEqualTo(all[(from + t) * ROWS + r]);
                }
            }
        }
    }

    /** The integer kernels (q8_0 or q8_K activations) compute the dot product of the rounded activations exactly. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void integerKernelsMatchTheDotOfRoundedActivations(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(7 + type.id);
        WeightMatrix w = randomMatrix(type, rnd);
        int cols = w.cols();
        for (int nTok = 1; nTok <= 3; nTok++) {
            float[] x = gaussians(rnd, nTok * cols);
            float[] rounded = new float[x.length];
            QuantizedActivations q = new QuantizedActivations(nTok, cols);
            if (type.blockSize == 256) q.quantizeK(x, nTok, cols, rounded);
            else q.quantize(x, nTok, cols, rounded);
            float[] out = new float[nTok * ROWS];
            w.matmul(rounded, q, nTok, out, ROWS, 0, 0, ROWS);
            float[] row = new float[cols];
            for (int r = 0; r < ROWS; r++) {
                w.dequantizeRow(r, row, 0);
                for (int t = 0; t < nTok; t++) {
                    double expected = 0;
                    for (int c = 0; c < cols; c++) expected += (double) row[c] * rounded[t * cols + c];
                    assertThat((double) out[t * ROWS + r]).as("row %d token %d of %d", r, t, nTok).isCloseTo(expected, within(1e-3));
                }
            }
        }
    }

    /**
     * A decode token's row gets the same bits whichever row range it falls in (rows are paired across a range's
     * halves, so odd and even ranges split differently) and whether the token is decoded alone or in a batch.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void decodeRowsGetTheSameBitsInAnyRangeAndInABatch(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(5 + type.id);
        WeightMatrix w = randomMatrix(type, rnd);
        int cols = w.cols();
        float[] token = gaussians(rnd, cols);
        QuantizedActivations one = new QuantizedActivations(1, cols);
        float[] rounded = new float[cols];
        if (type.blockSize == 256) one.quantizeK(token, 1, cols, rounded);
        else one.quantize(token, 1, cols, rounded);
        float[] whole = new float[ROWS];
        w.matmul(rounded, one, 1, whole, ROWS, 0, 0, ROWS);
        int[][] ranges = {{0, 1}, {0, 2}, {3, 20}, {5, 6}, {7, 37}, {10, 37}, {1, 36}};
        for (int[] range : ranges) {
            float[] part = new float[ROWS];
            w.matmul(rounded, one, 1, part, ROWS, 0, range[0], range[1]);
            for (int r = range[0]; r < range[1]; r++) {
                assertThat(part[r]).as("row %d in [%d, %d)", r, range[0], range[1]).isEqualTo(whole[r]);
            }
        }
        // 15 tokens: on AVX-512 q8_0 takes eight through the token-pair kernel, then two pairs, one pair and one alone
        int n = 15;
        float[] many = gaussians(rnd, n * cols);
        QuantizedActivations batch = new QuantizedActivations(n, cols, true);
        float[] roundedBatch = new float[n * cols];
        if (type.blockSize == 256) batch.quantizeK(many, n, cols, roundedBatch);
        else batch.quantize(many, n, cols, roundedBatch);
        float[] batched = new float[n * ROWS];
        w.matmul(roundedBatch, batch, n, batched, ROWS, 0, 0, ROWS);
        for (int t = 0; t < n; t++) {
            float[] alone = new float[cols];
            if (type.blockSize == 256) one.quantizeK(java.util.Arrays.copyOfRange(many, t * cols, (t + 1) * cols), 1, cols, alone);
            else one.quantize(java.util.Arrays.copyOfRange(many, t * cols, (t + 1) * cols), 1, cols, alone);
            float[] single = new float[ROWS];
            w.matmul(alone, one, 1, single, ROWS, 0, 0, ROWS);
            for (int r = 0; r < ROWS; r++) assertThat(batched[t * ROWS + r]).as("row %d token %d of the batch", r, t).isEqualTo(single[r]);
        }
    }

    /** {@code n} standard normal values, as activations. */
    /** Row · x[xOff, xOff + row.length) in double precision: the reference the kernels are held to. */
    static double referenceDot(float[] row, float[] x, int xOff) {
        double sum = 0;
        for (int c = 0; c < row.length; c++) sum += (double) row[c] * x[xOff + c];
        return sum;
    }

    static float[] gaussians(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    static WeightMatrix randomMatrix(GgmlType type, SplittableRandom rnd) {
        int cols = cols(type);
        byte[] bytes = new byte[(int) type.bytesFor((long) ROWS * cols)];
        rnd.nextBytes(bytes);
        MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < ROWS * cols; i++) seg.set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i, (float) rnd.nextGaussian());
                return new F32Matrix(seg, ROWS, cols);
            }
            case F16, BF16 -> {
                for (int i = 0; i < ROWS * cols; i++) {
                    float v = (float) rnd.nextGaussian() * (i % 97 == 0 ? 1e-6f : 1f); // some subnormal halves
                    short bits = type == GgmlType.F16 ? Float.floatToFloat16(v) : (short) (Float.floatToIntBits(v) >>> 16);
                    seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, bits);
                }
                return type == GgmlType.F16 ? new F16Matrix(seg, ROWS, cols) : new BF16Matrix(seg, ROWS, cols);
            }
            case Q4_K, Q5_K, Q6_K -> {
                // random quant bytes are valid super-blocks once the fp16 factors (d, and dmin where present) are sane
                for (int b = 0; b < ROWS * cols / 256; b++) {
                    long at = (long) b * type.blockBytes;
                    if (type == GgmlType.Q6_K) {
                        seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at + 208, Float.floatToFloat16((float) (0.001 + rnd.nextDouble() * 0.004)));
                    } else {
                        seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16((float) (0.001 + rnd.nextDouble() * 0.004)));
                        seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at + 2, Float.floatToFloat16((float) (rnd.nextDouble() * 0.004)));
                    }
                }
                return switch (type) {
                    case Q4_K -> new Q4_KMatrix(seg, ROWS, cols);
                    case Q5_K -> new Q5_KMatrix(seg, ROWS, cols);
                    default -> new Q6_KMatrix(seg, ROWS, cols);
                };
            }
            default -> {
                // random quant bytes are valid blocks once each block's fp16 scale is a sane number
                int blocks = ROWS * cols / 32;
                for (int b = 0; b < blocks; b++) {
                    seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, (long) b * type.blockBytes,
                            Float.floatToFloat16((float) (0.01 + rnd.nextDouble() * 0.05)));
                }
                return type == GgmlType.Q8_0 ? new Q8_0Matrix(seg, ROWS, cols) : new Q4_0Matrix(seg, ROWS, cols);
            }
        }
    }
}
