package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import jdk.incubator.vector.FloatVector;

/**
 * Matrix-matrix product for a prompt chunk, as an outer-product register tile: six weight rows are decoded into an
 * f32 panel, and for each column k a 6-row × 16-token block of results (12 vector accumulators, lanes over tokens)
 * takes two activation vectors from {@link TokenPanels} and six broadcast weights — 12 FMAs per 8 loads, from
 * L1/L2, with no lane reductions at the end. About 1.6× the dot-product tiles of {@link PanelGemm} per core here
 * (40 against 24 GMAC/s, 2048×2048 q8_0 at 128 tokens; the tile alone reaches 47).
 *
 * <p>The tile's speed depends on the shape C2 gives its loop: strip-mined (the default with G1; the launcher turns it
 * on for Parallel GC with {@code -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000}) it runs at the figures
 * above; as one flat counted loop (Parallel and Serial GC's default) at about 20 GMAC/s, no faster than {@link PanelGemm}. Spilling, alignment and unrolling were ruled out; see
 * bench/README.md before changing the loop or the launcher's collector.
 *
 * <p>Every (row, token) result is one FMA chain over the columns in order, whichever tile, lane or panel computes
 * it: a token gets the same bits whatever else is in the chunk, and a row whatever range it falls in.
 */
final class PrefillGemm {
    /** Below a vector's worth of tokens the panels would be mostly padding. */
    static final int MIN_TOKENS = L;
    private static final int ROWS = 6;
    private static final int GROUP = Q4_0x8Matrix.GROUP;
    private static final int W = TokenPanels.WIDTH;
    /** Decoded rows (six, or a repacked group of eight), then the tile's results (rows × W). */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private PrefillGemm() {}

    static boolean applies(int nTok) {
        return Vectors.BLOCK_KERNELS && nTok >= MIN_TOKENS;
    }

    /** out[t*outStride + outOff + r] = row r · token t, for t in [0, x.tokens()) and r in [r0, r1). */
    static void multiply(WeightMatrix w, TokenPanels x, float[] out, int outStride, int outOff, int r0, int r1) {
        int n = w.cols();
        if (x.cols != n) throw new IllegalArgumentException("activations have " + x.cols + " columns, the matrix " + n);
        if (w instanceof Q4_0x8Matrix q && Q4_0x8Matrix.decodesGroups()) {
            // whole groups of 8 rows through the group tile, the rows before and after them as below: the same bits
            int g0 = (r0 + GROUP - 1) / GROUP, g1 = r1 / GROUP;
            if (g0 < g1) {
                rows(w, x, out, outStride, outOff, r0, g0 * GROUP);
                groups(q, x, out, outStride, outOff, g0, g1);
                rows(w, x, out, outStride, outOff, g1 * GROUP, r1);
                return;
            }
        }
        rows(w, x, out, outStride, outOff, r0, r1);
    }

    /** Rows decoded one by one ({@link WeightMatrix#dequantizeRow}) through the six-row and single-row tiles. */
    private static void rows(WeightMatrix w, TokenPanels x, float[] out, int outStride, int outOff, int r0, int r1) {
        int n = w.cols();
        float[] s = scratch(ROWS * n + ROWS * W);
        int results = ROWS * n;
        int nTok = x.nTok, panels = TokenPanels.panels(nTok);
        int r = r0;
        for (; r + ROWS <= r1; r += ROWS) {
            for (int i = 0; i < ROWS; i++) w.dequantizeRow(r + i, s, i * n);
            for (int p = 0; p < panels; p++) {
                tile6(s, n, x.data, p * n * W, s, results);
                scatter(s, results, ROWS, x, p, out, outStride, outOff + r);
            }
        }
        for (; r < r1; r++) {
            w.dequantizeRow(r, s, 0);
            for (int p = 0; p < panels; p++) {
                tile1(s, n, x.data, p * n * W, s, results);
                scatter(s, results, 1, x, p, out, outStride, outOff + r);
            }
        }
    }

    /** Groups [g0, g1) of a repacked Q4_0 matrix, each decoded at once ({@link Q4_0x8Matrix#dequantizeGroup}). */
    private static void groups(Q4_0x8Matrix w, TokenPanels x, float[] out, int outStride, int outOff, int g0, int g1) {
        int n = w.cols();
        float[] s = scratch(GROUP * n + GROUP * W);
        int results = GROUP * n;
        int panels = TokenPanels.panels(x.nTok);
        for (int g = g0; g < g1; g++) {
            w.dequantizeGroup(g, s);
            for (int p = 0; p < panels; p++) {
                tile8(s, n, x.data, p * n * W, s, results);
                scatter(s, results, GROUP, x, p, out, outStride, outOff + g * GROUP);
            }
        }
    }

    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) SCRATCH.set(s = new float[size]);
        return s;
    }

    /** A tile's results (rows × W at {@code s[results]}) for panel p's real tokens into out, row i at {@code outOff + i}. */
    private static void scatter(float[] s, int results, int rows, TokenPanels x, int p, float[] out, int outStride, int outOff) {
        int t0 = p * W, tn = Math.min(W, x.nTok - t0);
        // token by token: a token's rows are adjacent in out
        for (int j = 0; j < tn; j++) {
            int o = (t0 + j) * outStride + outOff;
            for (int i = 0; i < rows; i++) out[o + i] = s[results + i * W + j];
        }
    }

    // written out in full: a helper taking or returning vectors would exceed C2's inlining budget and box them
    private static void tile6(float[] p, int n, float[] x, int xOff, float[] acc, int accOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
        int n2 = 2 * n, n3 = 3 * n, n4 = 4 * n, n5 = 5 * n;
        for (int k = 0; k < n; k++) {
            int at = xOff + k * W;
            FloatVector x0 = FloatVector.fromArray(F, x, at), x1 = FloatVector.fromArray(F, x, at + L);
            FloatVector v = FloatVector.broadcast(F, p[k]);
            a0 = v.fma(x0, a0);
            b0 = v.fma(x1, b0);
            v = FloatVector.broadcast(F, p[n + k]);
            a1 = v.fma(x0, a1);
            b1 = v.fma(x1, b1);
            v = FloatVector.broadcast(F, p[n2 + k]);
            a2 = v.fma(x0, a2);
            b2 = v.fma(x1, b2);
            v = FloatVector.broadcast(F, p[n3 + k]);
            a3 = v.fma(x0, a3);
            b3 = v.fma(x1, b3);
            v = FloatVector.broadcast(F, p[n4 + k]);
            a4 = v.fma(x0, a4);
            b4 = v.fma(x1, b4);
            v = FloatVector.broadcast(F, p[n5 + k]);
            a5 = v.fma(x0, a5);
            b5 = v.fma(x1, b5);
        }
        a0.intoArray(acc, accOff);
        b0.intoArray(acc, accOff + L);
        a1.intoArray(acc, accOff + W);
        b1.intoArray(acc, accOff + W + L);
        a2.intoArray(acc, accOff + 2 * W);
        b2.intoArray(acc, accOff + 2 * W + L);
        a3.intoArray(acc, accOff + 3 * W);
        b3.intoArray(acc, accOff + 3 * W + L);
        a4.intoArray(acc, accOff + 4 * W);
        b4.intoArray(acc, accOff + 4 * W + L);
        a5.intoArray(acc, accOff + 5 * W);
        b5.intoArray(acc, accOff + 5 * W + L);
    }

    /**
     * Eight rows from {@link Q4_0x8Matrix#dequantizeGroup}'s layout (columns in pairs, rows interleaved) × one panel:
     * 16 accumulators, which needs AVX-512's 32 vector registers. Each accumulator still takes its columns in order,
     * so the bits equal {@link #tile6}'s.
     */
    private static void tile8(float[] p, int n, float[] x, int xOff, float[] acc, int accOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int k = 0; k < n; k += 2) {
            int at = xOff + k * W, v = k * GROUP;
            FloatVector x0 = FloatVector.fromArray(F, x, at), x1 = FloatVector.fromArray(F, x, at + L);
            FloatVector w = FloatVector.broadcast(F, p[v]);
            a0 = w.fma(x0, a0);
            b0 = w.fma(x1, b0);
            w = FloatVector.broadcast(F, p[v + 2]);
            a1 = w.fma(x0, a1);
            b1 = w.fma(x1, b1);
            w = FloatVector.broadcast(F, p[v + 4]);
            a2 = w.fma(x0, a2);
            b2 = w.fma(x1, b2);
            w = FloatVector.broadcast(F, p[v + 6]);
            a3 = w.fma(x0, a3);
            b3 = w.fma(x1, b3);
            w = FloatVector.broadcast(F, p[v + 8]);
            a4 = w.fma(x0, a4);
            b4 = w.fma(x1, b4);
            w = FloatVector.broadcast(F, p[v + 10]);
            a5 = w.fma(x0, a5);
            b5 = w.fma(x1, b5);
            w = FloatVector.broadcast(F, p[v + 12]);
            a6 = w.fma(x0, a6);
            b6 = w.fma(x1, b6);
            w = FloatVector.broadcast(F, p[v + 14]);
            a7 = w.fma(x0, a7);
            b7 = w.fma(x1, b7);
            x0 = FloatVector.fromArray(F, x, at + W);
            x1 = FloatVector.fromArray(F, x, at + W + L);
            w = FloatVector.broadcast(F, p[v + 1]);
            a0 = w.fma(x0, a0);
            b0 = w.fma(x1, b0);
            w = FloatVector.broadcast(F, p[v + 3]);
            a1 = w.fma(x0, a1);
            b1 = w.fma(x1, b1);
            w = FloatVector.broadcast(F, p[v + 5]);
            a2 = w.fma(x0, a2);
            b2 = w.fma(x1, b2);
            w = FloatVector.broadcast(F, p[v + 7]);
            a3 = w.fma(x0, a3);
            b3 = w.fma(x1, b3);
            w = FloatVector.broadcast(F, p[v + 9]);
            a4 = w.fma(x0, a4);
            b4 = w.fma(x1, b4);
            w = FloatVector.broadcast(F, p[v + 11]);
            a5 = w.fma(x0, a5);
            b5 = w.fma(x1, b5);
            w = FloatVector.broadcast(F, p[v + 13]);
            a6 = w.fma(x0, a6);
            b6 = w.fma(x1, b6);
            w = FloatVector.broadcast(F, p[v + 15]);
            a7 = w.fma(x0, a7);
            b7 = w.fma(x1, b7);
        }
        a0.intoArray(acc, accOff);
        b0.intoArray(acc, accOff + L);
        a1.intoArray(acc, accOff + W);
        b1.intoArray(acc, accOff + W + L);
        a2.intoArray(acc, accOff + 2 * W);
        b2.intoArray(acc, accOff + 2 * W + L);
        a3.intoArray(acc, accOff + 3 * W);
        b3.intoArray(acc, accOff + 3 * W + L);
        a4.intoArray(acc, accOff + 4 * W);
        b4.intoArray(acc, accOff + 4 * W + L);
        a5.intoArray(acc, accOff + 5 * W);
        b5.intoArray(acc, accOff + 5 * W + L);
        a6.intoArray(acc, accOff + 6 * W);
        b6.intoArray(acc, accOff + 6 * W + L);
        a7.intoArray(acc, accOff + 7 * W);
        b7.intoArray(acc, accOff + 7 * W + L);
    }

    /** One row (the end of a range that is not a multiple of six rows). */
    private static void tile1(float[] p, int n, float[] x, int xOff, float[] acc, int accOff) {
        FloatVector a = FloatVector.zero(F), b = a;
        for (int k = 0; k < n; k++) {
            int at = xOff + k * W;
            FloatVector v = FloatVector.broadcast(F, p[k]);
            a = v.fma(FloatVector.fromArray(F, x, at), a);
            b = v.fma(FloatVector.fromArray(F, x, at + L), b);
        }
        a.intoArray(acc, accOff);
        b.intoArray(acc, accOff + L);
    }
}
