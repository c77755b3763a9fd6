package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tokenizer.Tokenizer;

/** A llama- or falcon-architecture model over a mapped GGUF file or checkpoint. Closing it unmaps the weights and stops its threads. */
public final class TransformerModel implements LanguageModel {
    private final GgufView file;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final TransformerWeights weights;
    private final WorkerPool pool;
    private final SharedPrefillPass prefillPass;
    private final KvCacheType kvCacheType;

    TransformerModel(GgufView file, ModelConfig config, Tokenizer tokenizer, TransformerWeights weights, int threads,
            KvCacheType kvCacheType) {
        this.file = file;
        this.kvCacheType = kvCacheType;
        this.config = config;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.pool = new WorkerPool(threads);
        this.prefillPass = new SharedPrefillPass(config, weights, pool);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The weights and metadata the model runs on: a GGUF file, or the GGUF view of a Hugging Face checkpoint. */
    public GgufView file() {
        return file;
    }

    public TransformerWeights weights() {
        return weights;
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public KvCacheType kvCacheType() {
        return kvCacheType;
    }

    @Override
    public Session newSession(int contextLength) {
        if (contextLength < 1 || contextLength > config.contextLength()) {
            throw new IllegalArgumentException("context length " + contextLength + " must be in [1, " + config.contextLength() + "]");
        }
        return new TransformerSession(config, prefillPass, KvCache.of(kvCacheType, config, contextLength));
    }

    /**
     * Chunks of several sessions' prompts through one pass over the weights when they take the prompt kernels alone
     * too ({@link WeightMatrix#prefillApplies}: every (row, token) is then one FMA chain whatever else is in the pass,
     * so each session gets the bits it gets alone); at most {@link TransformerSession#MAX_CHUNK} tokens in all. Chunks
     * shorter than that threshold, or that do not fit, go on their own.
     */
    @Override
    public void forwardTogether(Session[] sessions, int[][] tokens, int[] offsets, int[] lengths, int count) {
        if (!prefillPass.forwardTogether(sessions, tokens, offsets, lengths, count)) {
            LanguageModel.super.forwardTogether(sessions, tokens, offsets, lengths, count);
        }
    }

    /** A decoder for batched steps over up to {@code maxBatch} of this model's sessions. */
    public BatchDecoder newBatchDecoder(int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        return new BatchDecoder(config, weights, pool, maxBatch);
    }

    @Override
    public void close() {
        pool.close();
        file.close();
    }
}
