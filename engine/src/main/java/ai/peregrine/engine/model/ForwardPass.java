package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.ActivationGrid;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.TokenPanels;
import ai.peregrine.engine.tensor.VectorMath;
import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * The transformer layers over a set of up to {@code maxTokens} tokens, each with its own KV cache and position:
 * one sequence's chunk of consecutive positions (prefill), or one token from each of several sequences (a
 * batched decode step). Every layer runs as matrix-matrix products over all the tokens, so each weight is read
 * once per call however many tokens or sequences it serves. Holds all scratch space: nothing is allocated per call.
 */
final class ForwardPass {
    private final ModelConfig c;
    private final TransformerWeights w;
    private final WorkerPool pool;
    private final int maxTokens;
    private final int qDim;
    private final int qkvStride;

    private final float[] x;        // residual stream, tokens × embd
    private final float[] xn;       // normed input of the block (and of the output layer)
    private final float[] xn2;      // falcon-40B: normed input of attention
    private final float[] qkv;      // tokens × (q | k | v)
    private final float[] attn;     // tokens × qDim
    private final float[] proj;     // tokens × embd (attention output projection)
    private final float[] gate;     // tokens × ffn (llama's gate; falcon has none)
    private final float[] up;       // tokens × ffn
    private final float[] down;     // tokens × embd
    private final float[] rounded;  // activations rounded onto the weights' ggml grid (see ActivationGrid)
    private final QuantizedActivations quantized; // the same, as q8_0 / q8_K integers for the integer kernels
    private final TokenPanels panels;              // a prompt chunk's input laid out for the prefill tiles (null in batches)

    private final Rope rope;
    private final MatmulTask matmul = new MatmulTask();
    private final AttentionTask attention;

    /**
     * @param independentTokens the tokens are decode steps of different sequences (a batch), not a prompt chunk:
     *                          each gets exactly the arithmetic it would get alone
     */
    ForwardPass(ModelConfig c, TransformerWeights w, WorkerPool pool, int maxTokens, int maxContext, boolean independentTokens) {
        this.c = c;
        this.w = w;
        this.pool = pool;
        this.maxTokens = maxTokens;
        this.qDim = c.headCount() * c.headDim();
        this.qkvStride = qDim + 2 * c.kvDim();
        int e = c.embeddingLength();
        int widest = Math.max(Math.max(e, qDim), c.feedForwardLength());
        x = new float[maxTokens * e];
        xn = new float[maxTokens * e];
        xn2 = c.parallelNorms() ? new float[maxTokens * e] : null;
        qkv = new float[maxTokens * qkvStride];
        attn = new float[maxTokens * qDim];
        proj = new float[maxTokens * e];
        gate = c.architecture() == Architecture.FALCON ? null : new float[maxTokens * c.feedForwardLength()];
        up = new float[maxTokens * c.feedForwardLength()];
        down = new float[maxTokens * e];
        rounded = new float[maxTokens * widest];
        quantized = new QuantizedActivations(maxTokens, widest, independentTokens);
        panels = independentTokens ? null : new TokenPanels();
        rope = new Rope(c, maxTokens);
        attention = new AttentionTask(c, maxContext, pool.threads());
    }

    int maxTokens() {
        return maxTokens;
    }

    /**
     * Runs tokens[off, off+n) through all layers; token t is at positions[t] of the sequence whose cache is
     * caches[t], and its keys and values are appended there. Leaves the final hidden states for {@link #logits}.
     */
    void layers(int[] tokens, int off, int n, KvCache[] caches, int[] positions) {
        int e = c.embeddingLength();
        for (int t = 0; t < n; t++) w.tokenEmbedding().lookupRow(tokens[off + t], x, t * e);
        rope.prepare(positions, n);
        for (int l = 0; l < c.layerCount(); l++) {
            if (c.architecture() == Architecture.FALCON) falconBlock(l, n, caches, positions);
            else llamaBlock(l, n, caches, positions);
        }
    }

    /** Logits of tokens [from, from+n) of the last {@link #layers} call into out (row t−from at (t−from)·vocab). */
    void logits(int from, int n, float[] out) {
        int e = c.embeddingLength();
        float[] bias = w.outputNormBias();
        for (int t = 0; t < n; t++) {
            if (bias != null) VectorMath.layerNorm(x, (from + t) * e, w.outputNorm(), bias, c.normEps(), xn, t * e, e);
            else VectorMath.rmsNorm(x, (from + t) * e, w.outputNorm(), c.normEps(), xn, t * e, e);
        }
        matmul(w.output(), xn, n, out, c.vocabSize(), 0);
    }

    private void llamaBlock(int l, int n, KvCache[] caches, int[] positions) {
        LayerWeights lw = w.layers()[l];
        int e = c.embeddingLength();
        normRows(x, lw.attnNorm(), null, xn, n);
        matmul3(xn, n, qkvStride, lw.wq(), qkv, 0, lw.wk(), qkv, qDim, lw.wv(), qkv, qDim + c.kvDim());
        attend(l, n, caches, positions);
        matmul(lw.wo(), attn, n, proj, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += proj[i];
        normRows(x, lw.ffnNorm(), null, xn, n);
        int ff = c.feedForwardLength();
        matmul3(xn, n, ff, lw.ffnGate(), gate, 0, lw.ffnUp(), up, 0, null, null, 0);
        VectorMath.swiglu(gate, up, 0, n * ff);
        matmul(lw.ffnDown(), gate, n, down, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += down[i];
    }

    private void falconBlock(int l, int n, KvCache[] caches, int[] positions) {
        LayerWeights lw = w.layers()[l];
        int e = c.embeddingLength();
        normRows(x, lw.attnNorm(), lw.attnNormBias(), xn, n);
        float[] attnIn = xn;
        if (lw.attnNorm2() != null) {
            normRows(x, lw.attnNorm2(), lw.attnNorm2Bias(), xn2, n);
            attnIn = xn2;
        }
        matmul(lw.wqkv(), attnIn, n, qkv, qkvStride, 0);
        attend(l, n, caches, positions);
        matmul(lw.wo(), attn, n, proj, e, 0);
        int ff = c.feedForwardLength();
        matmul(lw.ffnUp(), xn, n, up, ff, 0);
        VectorMath.gelu(up, 0, n * ff);
        matmul(lw.ffnDown(), up, n, down, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += proj[i] + down[i];
    }

    /** RoPE on Q and K, append K and V to each token's cache, then attention into {@link #attn}. */
    private void attend(int l, int n, KvCache[] caches, int[] positions) {
        int hd = c.headDim();
        int kvDim = c.kvDim();
        long work = 0;
        for (int t = 0; t < n; t++) {
            int base = t * qkvStride;
            for (int h = 0; h < c.headCount(); h++) rope.apply(qkv, base + h * hd, t);
            for (int h = 0; h < c.headCountKv(); h++) rope.apply(qkv, base + qDim + h * hd, t);
            caches[t].put(l, positions[t], qkv, base + qDim, base + qDim + kvDim);
            work += (long) (positions[t] + 1) * hd * c.headCount();
        }
        attention.set(qkv, qkvStride, caches, positions, l, attn);
        int items = attention.items(n);
        // multiply-adds decide whether splitting pays for the hand-off
        pool.parallelFor(items, work < 1 << 16 ? items : 1, attention);
    }

    /** Per-token RMSNorm (bias null) or LayerNorm over the embedding. */
    private void normRows(float[] src, float[] weight, float[] bias, float[] dst, int n) {
        int e = c.embeddingLength();
        for (int t = 0; t < n; t++) {
            if (bias != null) VectorMath.layerNorm(src, t * e, weight, bias, c.normEps(), dst, t * e, e);
            else VectorMath.rmsNorm(src, t * e, weight, c.normEps(), dst, t * e, e);
        }
    }

    private void matmul(WeightMatrix m, float[] in, int n, float[] out, int outStride, int outOff) {
        matmul3(in, n, outStride, m, out, outOff, null, null, 0, null, null, 0);
    }

    /**
     * Up to three matrices over one input as a single hand-off; the input is rounded/quantized once, onto the
     * grid of the matrices' type. Matrices on different grids (a mixed quantization such as q6_K V with q8_0 Q/K)
     * are done one after the other, each on its own grid.
     */
    private void matmul3(float[] in, int n, int outStride, WeightMatrix a, float[] aOut, int aOff,
                         WeightMatrix b, float[] bOut, int bOff, WeightMatrix d, float[] dOut, int dOff) {
        ActivationGrid grid = ActivationGrid.forWeights(a.type());
        if ((b != null && ActivationGrid.forWeights(b.type()) != grid) || (d != null && ActivationGrid.forWeights(d.type()) != grid)) {
            matmul(a, in, n, aOut, outStride, aOff);
            if (b != null) matmul(b, in, n, bOut, outStride, bOff);
            if (d != null) matmul(d, in, n, dOut, outStride, dOff);
            return;
        }
        QuantizedActivations q = null;
        if (grid == ActivationGrid.Q8_0 || grid == ActivationGrid.Q8_K) {
            if (grid == ActivationGrid.Q8_0) quantized.quantize(in, n, a.cols(), rounded);
            else quantized.quantizeK(in, n, a.cols(), rounded);
            in = rounded;
            q = quantized;
        } else if (grid != ActivationGrid.F32) {
            grid.round(in, rounded, 0, n * a.cols());
            in = rounded;
        }
        TokenPanels p = null;
        if (panels != null && WeightMatrix.prefillApplies(n)) {
            panels.set(in, n, a.cols());
            p = panels;
        }
        int rows = matmul.set(in, q, p, n, outStride, a, aOut, aOff, b, bOut, bOff, d, dOut, dOff);
        // ~16 rows per chunk at minimum: below that the hand-off costs more than the rows
        pool.parallelFor(rows, 16, matmul);
    }
}
