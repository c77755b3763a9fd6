package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.TokenPanels;
import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * Up to three matrices sharing one input, split over the pool as one range of output rows, so fused
 * projections (Q/K/V into one buffer, gate/up into two) cost one hand-off. Reused across calls: no
 * allocation per token.
 */
final class MatmulTask implements RangeTask {
    private final WeightMatrix[] w = new WeightMatrix[3];
    private final float[][] outs = new float[3][];
    private final int[] outOff = new int[3];
    private final int[] firstRow = new int[4];
    private int count;
    private float[] in;
    private QuantizedActivations quantized;
    private TokenPanels panels;
    private int nTok;
    private int outStride;

    /** Prepares a job and returns its total row count; {@code panels}, when given, is {@code in} laid out for prefill. */
    int set(float[] in, QuantizedActivations quantized, TokenPanels panels, int nTok, int outStride,
            WeightMatrix a, float[] aOut, int aOff, WeightMatrix b, float[] bOut, int bOff, WeightMatrix c, float[] cOut, int cOff) {
        this.in = in;
        this.quantized = quantized;
        this.panels = panels;
        this.nTok = nTok;
        this.outStride = outStride;
        count = 0;
        add(a, aOut, aOff);
        add(b, bOut, bOff);
        add(c, cOut, cOff);
        return firstRow[count];
    }

    private void add(WeightMatrix m, float[] out, int off) {
        if (m == null) return;
        w[count] = m;
        outs[count] = out;
        outOff[count] = off;
        firstRow[count + 1] = firstRow[count] + m.rows();
        count++;
    }

    @Override
    public void run(int start, int end) {
        for (int i = 0; i < count; i++) {
            int lo = Math.max(start, firstRow[i]);
            int hi = Math.min(end, firstRow[i + 1]);
            if (lo >= hi) continue;
            if (panels != null) w[i].prefill(panels, outs[i], outStride, outOff[i], lo - firstRow[i], hi - firstRow[i]);
            else if (quantized != null) w[i].matmul(in, quantized, nTok, outs[i], outStride, outOff[i], lo - firstRow[i], hi - firstRow[i]);
            else w[i].matmul(in, nTok, outs[i], outStride, outOff[i], lo - firstRow[i], hi - firstRow[i]);
        }
    }
}
