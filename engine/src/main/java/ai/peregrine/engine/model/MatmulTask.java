package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * Up to three matrices sharing one input, split over the pool as one range of output rows, so fused
 * projections (Q/K/V, gate/up) cost one hand-off. Reused across calls: no allocation per token.
 */
final class MatmulTask implements RangeTask {
    private final WeightMatrix[] w = new WeightMatrix[3];
    private final int[] outOff = new int[3];
    private final int[] firstRow = new int[4];
    private int count;
    private float[] in;
    private QuantizedActivations quantized;
    private float[] out;
    private int nTok;
    private int outStride;

    /** Prepares a job and returns its total row count. */
    int set(float[] in, QuantizedActivations quantized, int nTok, float[] out, int outStride,
            WeightMatrix a, int aOff, WeightMatrix b, int bOff, WeightMatrix c, int cOff) {
        this.in = in;
        this.quantized = quantized;
        this.out = out;
        this.nTok = nTok;
        this.outStride = outStride;
        count = 0;
        add(a, aOff);
        add(b, bOff);
        add(c, cOff);
        return firstRow[count];
    }

    private void add(WeightMatrix m, int off) {
        if (m == null) return;
        w[count] = m;
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
            if (quantized != null) w[i].matmul(in, quantized, nTok, out, outStride, outOff[i], lo - firstRow[i], hi - firstRow[i]);
            else w[i].matmul(in, nTok, out, outStride, outOff[i], lo - firstRow[i], hi - firstRow[i]);
        }
    }
}
