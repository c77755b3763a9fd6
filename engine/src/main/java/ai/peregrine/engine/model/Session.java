package ai.peregrine.engine.model;

/** One sequence's state (its KV cache and scratch buffers). Not thread-safe; reuse it to avoid allocation. */
public interface Session extends AutoCloseable {
    /** Number of tokens already in the KV cache. */
    int position();

    int contextLength();

    int vocabSize();

    /**
     * Runs {@code tokens[off, off+len)} at positions position()..position()+len-1.
     * When {@code allLogits} is non-null it receives one row of logits per token (len × vocab);
     * the logits of the last token are always available from {@link #logits()}.
     */
    void forward(int[] tokens, int off, int len, float[][] allLogits);

    /** Logits after the last forwarded token. The array is reused by the next call. */
    float[] logits();

    /** Drops all cached positions at or after {@code position}. */
    void truncate(int position);

    @Override
    void close();
}
