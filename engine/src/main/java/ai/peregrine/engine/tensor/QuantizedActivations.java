package ai.peregrine.engine.tensor;

import java.util.Arrays;

/**
 * Activations quantized to 8-bit integers as ggml quantizes them for the weight type's dot product, kept as
 * shorts for the integer kernels:
 * <ul>
 *   <li>q8_0 (for q8_0/q4_0 weights): per 32 values d = amax/127 stored as fp16, q = round-half-even(x·127/amax);
 *       with each block's sum of q (q4_0 stores weights +8; the sum removes that offset);</li>
 *   <li>q8_K (for the K-quants): per 256 values d = −max/127 in f32 (max the value of largest magnitude),
 *       q = round-half-even(−127·x/max); with the sum of q per 32 values (the K-quants' sub-block minimums).</li>
 * </ul>
 * Buffers are sized once and reused: no allocation per token.
 */
public final class QuantizedActivations {
    static final int BLOCK = 32;
    static final int SUPER_BLOCK = 256;

    final short[] q;
    /** Per block of the current grid: 32 values (q8_0) or 256 (q8_K). */
    final float[] scale;
    /** Σq per 32 values, in either grid. */
    final int[] sum;
    /** −8·Σq·d per block: the correction for q4_0's +8 storage offset, per unit of weight scale (q8_0 only). */
    final float[] q4Offset;
    int cols;
    /** The grid of the last {@code quantize} call: {@link ActivationGrid#Q8_0} or {@link ActivationGrid#Q8_K}. */
    ActivationGrid grid = ActivationGrid.Q8_0;
    /**
     * Set when the rows are independent decode steps (one token from each of several sequences): kernels then
     * take the single-token path for every row, so a sequence's numbers do not depend on what it is batched with.
     */
    final boolean independentRows;
    /**
     * For batches ({@code independentRows}): each block's q as floats in the lane order of the integer kernels'
     * pair sums — elements 0,2..14 | 1,3..15 | 16,18..30 | 17,19..31 — read by the batched decode kernels.
     */
    final float[] permuted;
    /** q8_0 grid: q as pairs of shorts, (q[2i] & 0xFFFF) | q[2i+1] << 16, broadcast by {@link Q4_0x8Matrix}. */
    final int[] pairs;
    /**
     * Batches on AVX-512 hosts ({@link Q8_0Matrix#dotWide}), q8_0 grid: tokens in pairs (2p, 2p+1), and per pair and
     * block 64 shorts — the first 16 values of both tokens, then their last 16 — so one 512-bit vector holds a half
     * block of two tokens; null elsewhere.
     */
    final short[] tokenPairs;
    /**
     * Batches on AVX-512 hosts ({@link Q4_0x8Matrix}'s token-pair kernel), q8_0 grid: per pair of tokens (2p, 2p+1), block
     * and index c of {@link #pairs}, the first token's pair int in the low half of a long and the second's in the high
     * half, so one 64-bit broadcast feeds both tokens' lanes; null elsewhere.
     */
    final long[] pairPairs;
    /** Beside {@link #tokenPairs}: per pair and block, 16 floats, the two tokens' scales 8 times each. */
    final float[] pairScales;
    /**
     * A single token on AVX-512 hosts ({@link Q8_0Matrix#dotRows}), q8_0 grid: per block 64 shorts, its first 16 values
     * twice, then its last 16 twice, so one 512-bit vector meets two rows' halves; null elsewhere.
     */
    final short[] doubled;
    /** Whether {@link #doubled} holds the last {@link #quantize} call's token (it was a single one). */
    boolean doubledValid;

    public QuantizedActivations(int maxTokens, int maxCols) {
        this(maxTokens, maxCols, false);
    }

    public QuantizedActivations(int maxTokens, int maxCols, boolean independentRows) {
        this.independentRows = independentRows;
        int blocks = maxTokens * ((maxCols + BLOCK - 1) / BLOCK);
        this.q = new short[blocks * BLOCK];
        this.scale = new float[blocks];
        this.sum = new int[blocks];
        this.q4Offset = new float[blocks];
        this.permuted = independentRows ? new float[blocks * BLOCK] : null;
        this.pairs = new int[blocks * BLOCK / 2];
        boolean tokenPairs = independentRows && Q8_0Matrix.pairsTokens();
        this.tokenPairs = tokenPairs ? new short[blocks * BLOCK] : null;
        this.pairScales = tokenPairs ? new float[blocks / 2 * 16] : null;
        this.pairPairs = tokenPairs ? new long[blocks / 2 * 16] : null;
        this.doubled = Q8_0Matrix.pairsTokens() ? new short[(maxCols + BLOCK - 1) / BLOCK * 2 * BLOCK] : null;
    }

    /**
     * Quantizes {@code nTok} rows of {@code cols} values (a multiple of 32) from {@code x} onto the q8_0 grid; also
     * writes the dequantized values (q·d) into {@code rounded} for kernels that work in f32.
     */
    public void quantize(float[] x, int nTok, int cols, float[] rounded) {
        if (cols % BLOCK != 0) throw new IllegalArgumentException("q8_0 activations need a multiple of 32 values, got " + cols);
        this.cols = cols;
        this.grid = ActivationGrid.Q8_0;
        int blocks = nTok * cols / BLOCK;
        for (int b = 0; b < blocks; b++) {
            int o = b * BLOCK;
            float amax = 0;
            for (int i = o; i < o + BLOCK; i++) amax = Math.max(amax, Math.abs(x[i]));
            float d = amax / 127f;
            float id = d != 0 ? 127f / amax : 0f;
            float dStored = Float.float16ToFloat(Float.floatToFloat16(d));
            int s = 0;
            for (int i = o; i < o + BLOCK; i++) {
                int v = (int) Math.rint(x[i] * id);
                q[i] = (short) v;
                s += v;
                rounded[i] = v * dStored;
            }
            for (int i = o; i < o + BLOCK; i += 2) pairs[i >> 1] = (q[i] & 0xFFFF) | q[i + 1] << 16;
            scale[b] = dStored;
            sum[b] = s;
            q4Offset[b] = -8f * s * dStored;
            if (permuted != null) {
                for (int j = 0; j < 8; j++) {
                    permuted[o + j] = q[o + 2 * j];
                    permuted[o + 8 + j] = q[o + 2 * j + 1];
                    permuted[o + 16 + j] = q[o + 16 + 2 * j];
                    permuted[o + 24 + j] = q[o + 17 + 2 * j];
                }
            }
        }
        if (tokenPairs != null) pairTokens(nTok, cols / BLOCK);
        if (pairPairs != null) {
            int perToken = cols / BLOCK * 16;
            for (int pair = 0; pair + 1 < nTok; pair += 2) {
                int first = pair * perToken, second = first + perToken, to = pair / 2 * perToken;
                for (int i = 0; i < perToken; i++) pairPairs[to + i] = (pairs[first + i] & 0xFFFF_FFFFL) | (long) pairs[second + i] << 32;
            }
        }
        doubledValid = doubled != null && nTok == 1;
        if (doubledValid) {
            for (int b = 0, o = 0; o < cols; b += 2 * BLOCK, o += BLOCK) {
                System.arraycopy(q, o, doubled, b, 16);
                System.arraycopy(q, o, doubled, b + 16, 16);
                System.arraycopy(q, o + 16, doubled, b + 32, 16);
                System.arraycopy(q, o + 16, doubled, b + 48, 16);
            }
        }
    }

    private void pairTokens(int nTok, int blocksPerToken) {
        for (int pair = 0; pair + 1 < nTok; pair += 2) {
            for (int b = 0; b < blocksPerToken; b++) {
                int first = pair * blocksPerToken + b, second = first + blocksPerToken;
                int to = (pair / 2 * blocksPerToken + b) * 2 * BLOCK;
                System.arraycopy(q, first * BLOCK, tokenPairs, to, 16);
                System.arraycopy(q, second * BLOCK, tokenPairs, to + 16, 16);
                System.arraycopy(q, first * BLOCK + 16, tokenPairs, to + 32, 16);
                System.arraycopy(q, second * BLOCK + 16, tokenPairs, to + 48, 16);
                int so = (pair / 2 * blocksPerToken + b) * 16;
                java.util.Arrays.fill(pairScales, so, so + 8, scale[first]);
                java.util.Arrays.fill(pairScales, so + 8, so + 16, scale[second]);
            }
        }
    }

    /**
     * Quantizes {@code nTok} rows of {@code cols} values (a multiple of 256) onto the q8_K grid, as ggml's
     * {@code quantize_row_q8_K_ref}; also writes the dequantized values (q·d) into {@code rounded}.
     */
    public void quantizeK(float[] x, int nTok, int cols, float[] rounded) {
        if (cols % SUPER_BLOCK != 0) throw new IllegalArgumentException("q8_K activations need a multiple of 256 values, got " + cols);
        this.cols = cols;
        this.grid = ActivationGrid.Q8_K;
        this.doubledValid = false;
        int blocks = nTok * cols / SUPER_BLOCK;
        for (int b = 0; b < blocks; b++) {
            int o = b * SUPER_BLOCK;
            float amax = 0, max = 0;
            for (int i = o; i < o + SUPER_BLOCK; i++) {
                float a = Math.abs(x[i]);
                if (a > amax) {
                    amax = a;
                    max = x[i];
                }
            }
            if (amax == 0) {
                scale[b] = 0;
                Arrays.fill(q, o, o + SUPER_BLOCK, (short) 0);
                Arrays.fill(rounded, o, o + SUPER_BLOCK, 0f);
                Arrays.fill(sum, o / BLOCK, (o + SUPER_BLOCK) / BLOCK, 0);
                continue;
            }
            float iscale = -127f / max;
            float d = 1 / iscale;
            for (int g = o; g < o + SUPER_BLOCK; g += BLOCK) {
                int s = 0;
                for (int i = g; i < g + BLOCK; i++) {
                    int v = Math.min(127, (int) Math.rint(iscale * x[i]));
                    q[i] = (short) v;
                    s += v;
                    rounded[i] = v * d;
                }
                sum[g / BLOCK] = s;
            }
            scale[b] = d;
        }
    }
}
