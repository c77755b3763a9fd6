package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.HalfFloats;
import ai.peregrine.engine.tensor.VectorMath;

/**
 * Causal scaled-dot-product attention of a set of tokens, each over its own sequence's KV cache up to its own
 * position (one sequence's chunk, or one token from each sequence of a batch). Grouped/multi-query heads share their
 * KV head, so a work item is one token's KV head and a run of the query heads that share it ({@link #span}): each
 * cached key and value is read (and, from an f16 cache, widened) once for all of them. Each (query head, position)
 * score and each head's weighted sum over positions are computed in the same order whatever the split, so the
 * results do not depend on it.
 */
final class AttentionTask implements RangeTask {
    private final int heads;
    private final int headDim;
    private final int kvHeads;
    private final int group;
    /** Query heads per work item: a whole group, or a part of it when too few KV heads would leave threads idle. */
    private final int span;
    private final int slices; // work items per KV head and token
    private final int contextLength;
    private final float scale;
    private final float[][] scores;  // per pool thread: span rows of contextLength
    private final float[][] queries; // per pool thread: span queries rounded to halves (f16 caches)
    private final float[][] scratch; // per pool thread: KvCache's (a key or value widened from halves, a lane sum)

    private float[] qkv;
    private int qkvStride;
    private KvCache[] caches;
    private int[] positions;
    private int layer;
    private float[] out;

    AttentionTask(ModelConfig c, int contextLength, int threads) {
        this.heads = c.headCount();
        this.headDim = c.headDim();
        this.kvHeads = c.headCountKv();
        this.group = heads / kvHeads;
        // enough items per token for every thread twice over (decode attends one token per sequence)
        int wanted = Math.min(group, Math.max(1, (2 * threads + kvHeads - 1) / kvHeads));
        this.span = (group + wanted - 1) / wanted;
        this.slices = (group + span - 1) / span;
        this.contextLength = contextLength;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        this.scores = new float[threads][span * contextLength];
        this.queries = new float[threads][span * headDim];
        this.scratch = new float[threads][KvCache.scratchSize(headDim)];
    }

    /** Work items for {@code tokens} tokens. */
    int items(int tokens) {
        return tokens * kvHeads * slices;
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
        int worker = WorkerPool.workerIndex();
        float[] s = scores[worker], rounded = queries[worker], widened = scratch[worker];
        for (int item = start; item < end; item++) {
            int t = item / (kvHeads * slices);
            int kvHead = item % (kvHeads * slices) / slices;
            int h0 = kvHead * group + item % slices * span, h1 = Math.min(h0 + span, (kvHead + 1) * group);
            attend(t, kvHead, h0, h1, s, rounded, widened);
        }
    }

    /** Query heads [h0, h1) of token t, which share KV head kvHead. */
    private void attend(int t, int kvHead, int h0, int h1, float[] s, float[] rounded, float[] widened) {
        int n = positions[t] + 1; // causal: positions 0..positions[t] of its own sequence
        KvCache cache = caches[t];
        int kvOff = kvHead * headDim, q0 = t * qkvStride;
        float[] query = qkv;
        int queryOff = q0 + h0 * headDim;
        if (cache.halves) {
            HalfFloats.round(qkv, queryOff, rounded, 0, (h1 - h0) * headDim);
            query = rounded;
            queryOff = 0;
        }
        for (int j = 0; j < n; j++) {
            float[] k = cache.key(layer, j, kvOff, headDim, widened);
            int kOff = cache.offset(j, kvOff);
            for (int h = h0; h < h1; h++) {
                int i = h - h0;
                s[i * contextLength + j] = VectorMath.dot(query, queryOff + i * headDim, k, kOff, headDim, widened, headDim) * scale;
            }
        }
        for (int h = h0; h < h1; h++) {
            int row = (h - h0) * contextLength;
            VectorMath.softmax(s, row, n);
            if (cache.halves) HalfFloats.round(s, row, s, row, n);
            int o = t * heads * headDim + h * headDim;
            java.util.Arrays.fill(out, o, o + headDim, 0f);
        }
        for (int j = 0; j < n; j++) {
            float[] v = cache.value(layer, j, kvOff, headDim, widened);
            int vOff = cache.offset(j, kvOff);
            for (int h = h0; h < h1; h++) {
                VectorMath.axpy(s[(h - h0) * contextLength + j], v, vOff, out, t * heads * headDim + h * headDim, headDim);
            }
        }
    }
}
