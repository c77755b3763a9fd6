package ai.peregrine.engine.model;

import ai.peregrine.engine.tokenizer.Tokenizer;

/** A loaded model: configuration, tokenizer and weights. Thread-safe; each sequence runs in its own {@link Session}. */
public interface LanguageModel extends AutoCloseable {
    ModelConfig config();

    Tokenizer tokenizer();

    /** A new sequence with an empty KV cache of {@code contextLength} positions. */
    Session newSession(int contextLength);

    @Override
    void close();
}
