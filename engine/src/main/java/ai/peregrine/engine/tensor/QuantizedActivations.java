package ai.peregrine.engine.tensor;

/**
 * Activations quantized to q8_0 blocks as ggml quantizes them for q8_0/q4_0 weights (per 32 values:
 * d = amax/127 stored as fp16, q = round-half-even(x·127/amax)), kept as shorts for the integer kernels,
 * with each block's scale and the sum of its q (q4_0 stores weights +8; the sum removes that offset).
 * Buffers are sized once and reused: no allocation per token.
 */
public final class QuantizedActivations {
    static final int BLOCK = 32;

    final short[] q;
    final float[] scale;
    final int[] sum;
    /** −8·Σq·d per block: the correction for q4_0's +8 storage offset, per unit of weight scale. */
    final float[] q4Offset;
    int cols;
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
    }

    /**
     * Quantizes {@code nTok} rows of {@code cols} values (a multiple of 32) from {@code x}; also writes the
     * dequantized values (q·d) into {@code rounded} for kernels that work in f32.
     */
    public void quantize(float[] x, int nTok, int cols, float[] rounded) {
        if (cols % BLOCK != 0) throw new IllegalArgumentException("q8_0 activations need a multiple of 32 values, got " + cols);
        this.cols = cols;
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
    }
}
