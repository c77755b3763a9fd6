package ai.peregrine.engine.tensor;

/**
 * IEEE half-precision values held in short arrays (an f16 KV cache): stored once, widened back to f32 before use.
 * Plain loops over {@link Float#floatToFloat16} / {@link Float#float16ToFloat}, which C2 turns into AVX-512/F16C
 * conversions (64 halves widen in ~5.5 ns here against ~24 scalar). A Vector API version (widen shorts to ints, move
 * the bits) was tried first: depending on the order C2 compiled things in, it ran boxed, ~0.5 MB allocated per
 * decoded token, in one run of two (DecodeAllocationTest); these loops allocate nothing whatever the order.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** dst[dstOff, dstOff+n) = src[off, off+n) rounded to the nearest half (ties to even, as ggml rounds). */
    public static void store(float[] src, int off, short[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.floatToFloat16(src[off + i]);
    }

    /** dst[dstOff, dstOff+n) = the halves src[off, off+n) as floats (exactly). */
    public static void widen(short[] src, int off, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(src[off + i]);
    }

    /** dst[dstOff, dstOff+n) = src[off, off+n) rounded to the nearest half and widened back (dst may be src). */
    public static void round(float[] src, int off, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(Float.floatToFloat16(src[off + i]));
    }
}
