package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.HalfFloats;
import ai.peregrine.engine.tensor.VectorMath;

/**
 * Causal scaled-dot-product attention of a set of tokens, each over its own sequence's KV cache up to its
 * own position (one sequence's chunk, or one token from each sequence of a batch); one work item per
 * (token, query head); grouped/multi-query heads share their KV head.
 */
final class AttentionTask implements RangeTask {
    private final int heads;
    private final int headDim;
    private final int group;
    private final float scale;
    private final float[][] scores; // one row per pool thread, sized to the context
    private final float[][] queries; // one head's query rounded to halves, per pool thread (f16 caches)
    private final float[][] widened; // KvCache's scratch (a head's key or value widened from halves, a lane sum), per pool thread

    private float[] qkv;
    private int qkvStride;
    private KvCache[] caches;
    private int[] positions;
    private int layer;
    private float[] out;

    AttentionTask(ModelConfig c, int contextLength, int threads) {
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.group = c.headCount() / c.headCountKv();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[threads][contextLength];
        this.queries = new float[threads][headDim];
        this.widened = new float[threads][KvCache.scratchSize(headDim)];
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
        float[] rounded = queries[WorkerPool.workerIndex()];
        float[] scratch = widened[WorkerPool.workerIndex()];
        for (int item = start; item < end; item++) {
            int t = item / heads;
            int h = item % heads;
            int n = positions[t] + 1; // causal: positions 0..positions[t] of its own sequence
            KvCache cache = caches[t];
            int q = t * qkvStride + h * headDim;
            int kvOff = (h / group) * headDim;
            float[] query = qkv;
            if (cache.halves) {
                HalfFloats.round(qkv, q, rounded, 0, headDim);
                query = rounded;
                q = 0;
            }
            for (int j = 0; j < n; j++) {
                s[j] = cache.keyDot(layer, j, kvOff, query, q, headDim, scratch) * scale;
            }
            VectorMath.softmax(s, 0, n);
            if (cache.halves) HalfFloats.round(s, 0, s, 0, n);
            int o = t * heads * headDim + h * headDim;
            java.util.Arrays.fill(out, o, o + headDim, 0f);
            for (int j = 0; j < n; j++) {
                cache.addValue(layer, j, kvOff, s[j], out, o, headDim, scratch);
            }
        }
    }
}
