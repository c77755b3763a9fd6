package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tokenizer.Tokenizer;

/** A llama- or falcon-architecture model over a mapped GGUF file. Closing it unmaps the file and stops its threads. */
public final class TransformerModel implements LanguageModel {
    private final GgufFile file;
    private final ModelConfig config;
    private final Tokenizer tokenizer;
    private final TransformerWeights weights;
    private final WorkerPool pool;

    TransformerModel(GgufFile file, ModelConfig config, Tokenizer tokenizer, TransformerWeights weights, int threads) {
        this.file = file;
        this.config = config;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.pool = new WorkerPool(threads);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public GgufFile file() {
        return file;
    }

    public TransformerWeights weights() {
        return weights;
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public Session newSession(int contextLength) {
        if (contextLength < 1 || contextLength > config.contextLength()) {
            throw new IllegalArgumentException("context length " + contextLength + " must be in [1, " + config.contextLength() + "]");
        }
        return new TransformerSession(config, weights, pool, contextLength);
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
