package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.VectorMath;

/**
 * Causal scaled-dot-product attention of a set of tokens, each over its own sequence's KV cache up to its
 * own position (one sequence's chunk, or one token from each sequence of a batch); one work item per
 * (token, query head); grouped/multi-query heads share their KV head.
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
    private KvCache[] caches;
    private int[] positions;
    private int layer;
    private float[] out;

    AttentionTask(ModelConfig c, int contextLength, int threads) {
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.kvDim = c.kvDim();
        this.group = c.headCount() / c.headCountKv();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[threads][contextLength];
    }

    void set(float[] qkv, int qkvStride, KvCache[] caches, int[] positions, int layer, float[] out) {
        this.qkv = qkv;
        this.qkvStride = qkvStride;
        this.caches = caches;
        this.positions = positions;
        this.layer = layer;
        this.out = out;
    }

    @Override
    public void run(int start, int end) {
        float[] s = scores[WorkerPool.workerIndex()];
        for (int item = start; item < end; item++) {
            int t = item / heads;
            int h = item % heads;
            int n = positions[t] + 1; // causal: positions 0..positions[t] of its own sequence
            float[] keys = caches[t].keys[layer];
            float[] values = caches[t].values[layer];
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
