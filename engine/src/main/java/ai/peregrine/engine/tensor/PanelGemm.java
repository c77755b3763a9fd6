package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import jdk.incubator.vector.FloatVector;

/**
 * Matrix-matrix product for several tokens (prefill): two weight rows at a time are decoded into an f32 panel
 * (once, whatever the token count), then a 2-row × 4-token register tile multiplies the panel with the
 * activations. Every weight element loaded from the panel feeds four FMAs and every activation two, so the
 * kernel runs at about twice the rate of tiles that decode blocks inside the loop (measured 24 vs 14 GMAC/s per
 * core for q8_0 here), and the decode cost is spread over all tokens.
 *
 * <p>Each (row, token) result is one FMA chain over the columns in order, then a lane reduction and a scalar
 * tail — the same arithmetic whichever tile computes it, so results do not depend on the token count or on
 * how rows are split across threads. For f32 and f16/bf16 weights it is also exactly their {@code dot}.
 */
final class PanelGemm {
    /** Fewer tokens than this take the mat-vec path: the panel's decode would not pay for itself. */
    static final int MIN_TOKENS = 4;
    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[0]);

    private PanelGemm() {}

    static boolean applies(int nTok) {
        return Vectors.BLOCK_KERNELS && nTok >= MIN_TOKENS;
    }

    /** out[t*outStride + outOff + r] = row r · x[t*cols ...] for t in [0, nTok), r in [r0, r1). */
    static void multiply(WeightMatrix w, float[] x, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        int cols = w.cols();
        float[] panel = PANEL.get();
        if (panel.length < 2 * cols + 8 * L) {
            panel = new float[2 * cols + 8 * L]; // two rows, then the tile's eight accumulators
            PANEL.set(panel);
        }
        int r = r0;
        for (; r + 2 <= r1; r += 2) {
            w.dequantizeRow(r, panel, 0);
            w.dequantizeRow(r + 1, panel, cols);
            int t = 0;
            for (; t + 4 <= nTok; t += 4) tile2x4(panel, cols, x, t, out, outStride, outOff + r, 2 * cols);
            for (; t < nTok; t++) {
                out[t * outStride + outOff + r] = VectorMath.dot(panel, 0, x, t * cols, cols);
                out[t * outStride + outOff + r + 1] = VectorMath.dot(panel, cols, x, t * cols, cols);
            }
        }
        if (r < r1) {
            w.dequantizeRow(r, panel, 0);
            for (int t = 0; t < nTok; t++) out[t * outStride + outOff + r] = VectorMath.dot(panel, 0, x, t * cols, cols);
        }
    }

    // a `k + L <= n` loop condition costs a third of the speed here (C2 keeps more checks in the loop)
    private static void tile2x4(float[] p, int n, float[] x, int t, float[] out, int outStride, int o, int lanes) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        int x0 = t * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
        int vectorEnd = n - n % L;
        for (int k = 0; k < vectorEnd; k += L) {
            FloatVector w0 = FloatVector.fromArray(F, p, k), w1 = FloatVector.fromArray(F, p, n + k);
            FloatVector v = FloatVector.fromArray(F, x, x0 + k);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.fromArray(F, x, x1 + k);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.fromArray(F, x, x2 + k);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.fromArray(F, x, x3 + k);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
        }
        // stored, not passed on: eight calls taking a vector exceed C2's inlining budget and box every accumulator
        a00.intoArray(p, lanes);
        a10.intoArray(p, lanes + L);
        a01.intoArray(p, lanes + 2 * L);
        a11.intoArray(p, lanes + 3 * L);
        a02.intoArray(p, lanes + 4 * L);
        a12.intoArray(p, lanes + 5 * L);
        a03.intoArray(p, lanes + 6 * L);
        a13.intoArray(p, lanes + 7 * L);
        int k = vectorEnd;
        int at = t * outStride + o;
        out[at] = finish(p, lanes, p, 0, x, x0, k, n);
        out[at + 1] = finish(p, lanes + L, p, n, x, x0, k, n);
        at += outStride;
        out[at] = finish(p, lanes + 2 * L, p, 0, x, x1, k, n);
        out[at + 1] = finish(p, lanes + 3 * L, p, n, x, x1, k, n);
        at += outStride;
        out[at] = finish(p, lanes + 4 * L, p, 0, x, x2, k, n);
        out[at + 1] = finish(p, lanes + 5 * L, p, n, x, x2, k, n);
        at += outStride;
        out[at] = finish(p, lanes + 6 * L, p, 0, x, x3, k, n);
        out[at + 1] = finish(p, lanes + 7 * L, p, n, x, x3, k, n);
    }

    /** The end of {@link VectorMath#dot} for an accumulator the tile stored at acc[accOff] after filling it up to column k. */
    private static float finish(float[] acc, int accOff, float[] p, int pOff, float[] x, int xOff, int k, int n) {
        float sum = Vectors.sum(acc, accOff);
        for (; k < n; k++) sum += p[pOff + k] * x[xOff + k];
        return sum;
    }
}
