package ai.peregrine.engine.tensor;

/**
 * The precision ggml's CPU backend gives the activations of a mat-vec, by weight type ("vec_dot_type"):
 * f16 weights see f16 activations, bf16 weights bf16, q8_0/q4_0 weights see activations quantized
 * to q8_0 (per 32 values: d = amax/127 stored as fp16, q = round-half-even(x·127/amax)) and the K-quants
 * (q4_K, q5_K, q6_K) see q8_K (per 256 values, f32 d; see {@link QuantizedActivations}). Rounding our
 * f32 activations onto the same grid before the f32 kernels reproduces llama.cpp's numbers closely
 * (products of small integers are exact in f32), at the cost of one pass over the input vector.
 */
public enum ActivationGrid {
    F32, F16, BF16, Q8_0, Q8_K;

    public static ActivationGrid forWeights(ai.peregrine.engine.gguf.GgmlType type) {
        return switch (type) {
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0, Q4_0, Q5_0, Q5_1 -> Q8_0;
            case Q4_K, Q5_K, Q6_K -> Q8_K;
            default -> F32;
        };
    }

    /** Writes src[off, off+n) rounded onto this grid into dst[off, off+n) (F32, F16, BF16). */
    public void round(float[] src, float[] dst, int off, int n) {
        switch (this) {
            case F32 -> System.arraycopy(src, off, dst, off, n);
            case F16 -> {
                for (int i = off; i < off + n; i++) dst[i] = Float.float16ToFloat(Float.floatToFloat16(src[i]));
            }
            case BF16 -> {
                for (int i = off; i < off + n; i++) dst[i] = Float.intBitsToFloat(roundToBf16Bits(src[i]));
            }
            case Q8_0, Q8_K -> throw new UnsupportedOperationException(this + " activations are made by QuantizedActivations");
        }
    }

    /** ggml's fp32 → bf16: round to nearest even, NaN kept quiet. */
    private static int roundToBf16Bits(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return (u | 0x00400000) & 0xffff0000;
        u = u + (0x7fff + ((u >>> 16) & 1));
        return u & 0xffff0000;
    }
}
