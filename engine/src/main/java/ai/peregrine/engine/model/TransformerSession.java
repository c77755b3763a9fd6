package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.RangeTask;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.ActivationGrid;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.VectorMath;
import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * One sequence: its f32 KV cache and all scratch buffers, allocated once. A forward call runs the
 * tokens in chunks of up to {@link #MAX_CHUNK}; each chunk goes through every layer as a matrix-matrix
 * product, so prefill reads each weight once per chunk rather than once per token.
 */
final class TransformerSession implements Session {
    static final int MAX_CHUNK = 64;

    private final ModelConfig c;
    private final TransformerWeights w;
    private final WorkerPool pool;
    private final int contextLength;
    private final int chunk;
    private final int qDim;
    private final int qkvStride;
    private final float[][] keyCache;
    private final float[][] valueCache;

    private final float[] x;        // residual stream, chunk × embd
    private final float[] xn;       // normed input of the block
    private final float[] xn2;      // falcon-40B: normed input of attention
    private final float[] qkv;      // chunk × (q | k | v)
    private final float[] attn;     // chunk × qDim
    private final float[] proj;     // chunk × embd (attention output projection)
    private final float[] gate;     // chunk × ffn
    private final float[] up;       // chunk × ffn
    private final float[] down;     // chunk × embd
    private final float[] logits;
    private final float[] rounded; // activations rounded onto the weights' ggml grid (see ActivationGrid)
    private final QuantizedActivations quantized; // the same, as q8_0 integers for the integer kernels
    private float[] chunkLogits;    // chunk × vocab, only when all logits are asked for

    private final Rope rope;
    private final MatmulTask matmul = new MatmulTask();
    private final AttentionTask attention;
    private final NormTask norm = new NormTask();
    private int position;

    TransformerSession(ModelConfig c, TransformerWeights w, WorkerPool pool, int contextLength) {
        this.c = c;
        this.w = w;
        this.pool = pool;
        this.contextLength = contextLength;
        this.chunk = Math.min(MAX_CHUNK, contextLength);
        this.qDim = c.headCount() * c.headDim();
        this.qkvStride = qDim + 2 * c.kvDim();
        int e = c.embeddingLength();
        keyCache = new float[c.layerCount()][contextLength * c.kvDim()];
        valueCache = new float[c.layerCount()][contextLength * c.kvDim()];
        x = new float[chunk * e];
        xn = new float[chunk * e];
        xn2 = c.parallelNorms() ? new float[chunk * e] : null;
        qkv = new float[chunk * qkvStride];
        attn = new float[chunk * qDim];
        proj = new float[chunk * e];
        gate = new float[chunk * c.feedForwardLength()];
        up = new float[chunk * c.feedForwardLength()];
        down = new float[chunk * e];
        logits = new float[c.vocabSize()];
        rounded = new float[chunk * Math.max(Math.max(e, qDim), c.feedForwardLength())];
        quantized = new QuantizedActivations(chunk, Math.max(Math.max(e, qDim), c.feedForwardLength()));
        rope = new Rope(c, chunk);
        attention = new AttentionTask(c, contextLength, pool.threads());
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int vocabSize() {
        return c.vocabSize();
    }

    @Override
    public float[] logits() {
        return logits;
    }

    @Override
    public void truncate(int newPosition) {
        if (newPosition < 0 || newPosition > position) {
            throw new IllegalArgumentException("cannot truncate a sequence of " + position + " tokens to " + newPosition);
        }
        position = newPosition;
    }

    @Override
    public void forward(int[] tokens, int off, int len, float[][] allLogits) {
        if (len <= 0) throw new IllegalArgumentException("nothing to forward");
        if (position + len > contextLength) {
            throw new IllegalArgumentException("sequence of " + (position + len) + " tokens exceeds the context length " + contextLength);
        }
        for (int i = off; i < off + len; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " is outside the vocabulary [0, " + c.vocabSize() + ")");
            }
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(chunk, len - done);
            boolean last = done + n == len;
            forwardChunk(tokens, off + done, n, allLogits, done, last);
            done += n;
        }
    }

    private void forwardChunk(int[] tokens, int off, int n, float[][] allLogits, int logitsRow, boolean last) {
        int e = c.embeddingLength();
        for (int t = 0; t < n; t++) w.tokenEmbedding().dequantizeRow(tokens[off + t], x, t * e);
        rope.prepare(position, n);
        for (int l = 0; l < c.layerCount(); l++) {
            if (c.architecture() == Architecture.FALCON) falconBlock(l, n);
            else llamaBlock(l, n);
        }
        position += n;
        if (allLogits != null) {
            outputNorm(0, n);
            if (chunkLogits == null) chunkLogits = new float[chunk * c.vocabSize()];
            matmul(w.output(), xn, n, chunkLogits, c.vocabSize(), 0);
            for (int t = 0; t < n; t++) {
                System.arraycopy(chunkLogits, t * c.vocabSize(), allLogits[logitsRow + t], 0, c.vocabSize());
            }
            if (last) System.arraycopy(chunkLogits, (n - 1) * c.vocabSize(), logits, 0, c.vocabSize());
        } else if (last) {
            outputNorm(n - 1, 1);
            int start = (n - 1) * e;
            System.arraycopy(xn, start, xn, 0, e);
            matmul(w.output(), xn, 1, logits, c.vocabSize(), 0);
        }
    }

    private void outputNorm(int from, int n) {
        int e = c.embeddingLength();
        for (int t = from; t < from + n; t++) {
            if (w.outputNormBias() != null) VectorMath.layerNorm(x, t * e, w.outputNorm(), w.outputNormBias(), c.normEps(), xn, t * e, e);
            else VectorMath.rmsNorm(x, t * e, w.outputNorm(), c.normEps(), xn, t * e, e);
        }
    }

    private void llamaBlock(int l, int n) {
        LayerWeights lw = w.layers()[l];
        int e = c.embeddingLength();
        normAll(x, lw.attnNorm(), null, xn, n);
        matmul3(xn, n, qkv, qkvStride, lw.wq(), 0, lw.wk(), qDim, lw.wv(), qDim + c.kvDim());
        attend(l, n);
        matmul(lw.wo(), attn, n, proj, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += proj[i];
        normAll(x, lw.ffnNorm(), null, xn, n);
        int ff = c.feedForwardLength();
        matmul3(xn, n, gate, ff, lw.ffnGate(), 0, null, 0, null, 0);
        matmul3(xn, n, up, ff, lw.ffnUp(), 0, null, 0, null, 0);
        VectorMath.swiglu(gate, up, 0, n * ff);
        matmul(lw.ffnDown(), gate, n, down, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += down[i];
    }

    private void falconBlock(int l, int n) {
        LayerWeights lw = w.layers()[l];
        int e = c.embeddingLength();
        normAll(x, lw.attnNorm(), lw.attnNormBias(), xn, n);
        float[] attnIn = xn;
        if (lw.attnNorm2() != null) {
            normAll(x, lw.attnNorm2(), lw.attnNorm2Bias(), xn2, n);
            attnIn = xn2;
        }
        matmul(lw.wqkv(), attnIn, n, qkv, qkvStride, 0);
        attend(l, n);
        matmul(lw.wo(), attn, n, proj, e, 0);
        int ff = c.feedForwardLength();
        matmul(lw.ffnUp(), xn, n, up, ff, 0);
        VectorMath.gelu(up, 0, n * ff);
        matmul(lw.ffnDown(), up, n, down, e, 0);
        for (int i = 0; i < n * e; i++) x[i] += proj[i] + down[i];
    }

    /** RoPE on Q and K, append K and V to the cache, then attention over the cache into {@link #attn}. */
    private void attend(int l, int n) {
        int hd = c.headDim();
        int kvDim = c.kvDim();
        for (int t = 0; t < n; t++) {
            int base = t * qkvStride;
            for (int h = 0; h < c.headCount(); h++) rope.apply(qkv, base + h * hd, t);
            for (int h = 0; h < c.headCountKv(); h++) rope.apply(qkv, base + qDim + h * hd, t);
            int slot = (position + t) * kvDim;
            System.arraycopy(qkv, base + qDim, keyCache[l], slot, kvDim);
            System.arraycopy(qkv, base + qDim + kvDim, valueCache[l], slot, kvDim);
        }
        attention.set(qkv, qkvStride, keyCache[l], valueCache[l], attn, position);
        int items = n * c.headCount();
        int work = items * (position + n) * hd; // multiply-adds, to decide whether splitting pays
        pool.parallelFor(items, work < 1 << 16 ? items : 1, attention);
    }

    private void normAll(float[] src, float[] weight, float[] bias, float[] dst, int n) {
        norm.set(src, weight, bias, dst);
        norm.run(0, n);
    }

    private void matmul(WeightMatrix m, float[] in, int n, float[] out, int outStride, int outOff) {
        matmul3(in, n, out, outStride, m, outOff, null, 0, null, 0);
    }

    private void matmul3(float[] in, int n, float[] out, int outStride, WeightMatrix a, int aOff, WeightMatrix b, int bOff, WeightMatrix d, int dOff) {
        ActivationGrid grid = ActivationGrid.forWeights(a.type());
        QuantizedActivations q = null;
        if (grid == ActivationGrid.Q8_0) {
            quantized.quantize(in, n, a.cols(), rounded);
            in = rounded;
            q = quantized;
        } else if (grid != ActivationGrid.F32) {
            grid.round(in, rounded, 0, n * a.cols());
            in = rounded;
        }
        int rows = matmul.set(in, q, n, out, outStride, a, aOff, b, bOff, d, dOff);
        // ~16 rows per chunk at minimum: below that the hand-off costs more than the rows
        pool.parallelFor(rows, 16, matmul);
    }

    /** Per-token RMSNorm (bias null) or LayerNorm over the embedding. */
    private final class NormTask implements RangeTask {
        private float[] src;
        private float[] weight;
        private float[] bias;
        private float[] dst;

        void set(float[] src, float[] weight, float[] bias, float[] dst) {
            this.src = src;
            this.weight = weight;
            this.bias = bias;
            this.dst = dst;
        }

        @Override
        public void run(int start, int end) {
            int e = c.embeddingLength();
            for (int t = start; t < end; t++) {
                if (bias != null) VectorMath.layerNorm(src, t * e, weight, bias, c.normEps(), dst, t * e, e);
                else VectorMath.rmsNorm(src, t * e, weight, c.normEps(), dst, t * e, e);
            }
        }
    }

    @Override
    public void close() {
        // Nothing native to free: the cache lives on the heap and the weights belong to the model.
    }
}
