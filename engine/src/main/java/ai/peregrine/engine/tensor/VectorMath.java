package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Element-wise and reduction helpers on float arrays, for activations and the KV cache. */
public final class VectorMath {
    private VectorMath() {}

    /**
     * One FMA chain over whole vectors, their lanes summed in {@link Vectors#sum}'s order, then a scalar tail: the
     * arithmetic of every (row, token) pair in {@link PanelGemm}.
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int vectorEnd = n - n % L; // a `i + L <= n` loop condition keeps more checks in the loop (see bench/README.md)
        float sum = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < vectorEnd; i += L) {
                acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
            }
            sum = Vectors.sum(acc);
        }
        for (int i = vectorEnd; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * {@link #dot} with the same bits, its lanes summed from {@code lanes[lanesOff, lanesOff + L)} ({@link
     * Vectors#sum(float[], int)}) instead of by shuffles: attention calls it at the bottom of a deep inlined tree,
     * where {@code Vectors.sum}'s slices ran out of C2's inlining depth and boxed (~770 KB per decoded token).
     */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n, float[] lanes, int lanesOff) {
        int vectorEnd = n - n % L;
        float sum = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < vectorEnd; i += L) {
                acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
            }
            acc.intoArray(lanes, lanesOff);
            sum = Vectors.sum(lanes, lanesOff);
        }
        for (int i = vectorEnd; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** Floats of scratch {@link #dot(float[], int, float[], int, int, float[], int)} needs for its lane sum. */
    public static int lanes() {
        return L;
    }

    /** y += a * x */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(F, a);
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
    }

    /** dst = src * 1/sqrt(mean(src²) + eps) * w (ggml_rms_norm then mul); sums in double as ggml does. */
    public static void rmsNorm(float[] src, int off, float[] w, float eps, float[] dst, int dstOff, int n) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) src[off + i] * src[off + i];
        float scale = (float) (1.0 / Math.sqrt((float) (ss / n) + eps));
        for (int i = 0; i < n; i++) dst[dstOff + i] = src[off + i] * scale * w[i];
    }

    /** dst = (src - mean) / sqrt(var + eps) * w + b (ggml_norm then mul, add). */
    public static void layerNorm(float[] src, int off, float[] w, float[] b, float eps, float[] dst, int dstOff, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += src[off + i];
        float mean = (float) (sum / n);
        double var = 0;
        for (int i = 0; i < n; i++) {
            float d = src[off + i] - mean;
            var += (double) d * d;
        }
        float scale = (float) (1.0 / Math.sqrt((float) (var / n) + eps));
        for (int i = 0; i < n; i++) dst[dstOff + i] = (src[off + i] - mean) * scale * w[i] + b[i];
    }

    /** Numerically stable in-place softmax over a[off, off+n). */
    public static void softmax(float[] a, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, a[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(a[off + i] - max);
            a[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) a[off + i] *= inv;
    }

    /** gate = silu(gate) * up, over n elements. */
    public static void swiglu(float[] gate, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            gate[i] = g / (1.0f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** In-place GELU exactly as ggml's CPU backend computes it (see {@link Gelu}). */
    public static void gelu(float[] a, int off, int n) {
        for (int i = off; i < off + n; i++) a[i] = Gelu.ggml(a[i]);
    }
}
