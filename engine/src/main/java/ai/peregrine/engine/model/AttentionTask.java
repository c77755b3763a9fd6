package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.VectorMath;

/**
 * Causal scaled-dot-product attention of a chunk of tokens over one layer's KV cache, one work item
 * per (token, query head); grouped/multi-query heads share their KV head.
 */
final class AttentionTask implements RangeTask {
    private final int heads;
    private final int headDim;
    private final int kvDim;
    private final int group;
    private final float scale;
    private final float[][] scores; // one row per pool thread, sized to the context

    private float[] qkv;
    private int qkvStride;
    private float[] keys;
    private float[] values;
    private float[] out;
    private int pos0;

    AttentionTask(ModelConfig c, int contextLength, int threads) {
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.kvDim = c.kvDim();
        this.group = c.headCount() / c.headCountKv();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[threads][contextLength];
    }

    void set(float[] qkv, int qkvStride, float[] keys, float[] values, float[] out, int pos0) {
        this.qkv = qkv;
        this.qkvStride = qkvStride;
        this.keys = keys;
        this.values = values;
        this.out = out;
        this.pos0 = pos0;
    }

    @Override
    public void run(int start, int end) {
        float[] s = scores[WorkerPool.workerIndex()];
        for (int item = start; item < end; item++) {
            int t = item / heads;
            int h = item % heads;
            int n = pos0 + t + 1; // causal: positions 0..pos0+t
            int q = t * qkvStride + h * headDim;
            int kvOff = (h / group) * headDim;
            for (int j = 0; j < n; j++) {
                s[j] = VectorMath.dot(qkv, q, keys, j * kvDim + kvOff, headDim) * scale;
            }
            VectorMath.softmax(s, 0, n);
            int o = t * heads * headDim + h * headDim;
            java.util.Arrays.fill(out, o, o + headDim, 0f);
            for (int j = 0; j < n; j++) {
                VectorMath.axpy(s[j], values, j * kvDim + kvOff, out, o, headDim);
            }
        }
    }
}
