package ai.peregrine.engine.model;

import ai.peregrine.engine.tokenizer.Tokenizer;

/** A loaded model: configuration, tokenizer and weights. Thread-safe; each sequence runs in its own {@link Session}. */
public interface LanguageModel extends AutoCloseable {
    ModelConfig config();

    Tokenizer tokenizer();

    /** A new sequence with an empty KV cache of {@code contextLength} positions. */
    Session newSession(int contextLength);

    /** How this model's sessions store keys and values. */
    default KvCacheType kvCacheType() {
        return KvCacheType.F32;
    }

    /** Bytes of KV cache a session holds per position of its context. */
    default long kvBytesPerPosition() {
        return config().kvBytesPerPosition(kvCacheType());
    }

    /**
     * Forwards {@code tokens[i][offsets[i], offsets[i]+lengths[i])} into {@code sessions[i]} for i below {@code count},
     * as {@link Session#forward} would one after the other (no logits but each one's last), and with the same results.
     * A model may run them as one pass over its weights; this default runs them in turn.
     */
    default void forwardTogether(Session[] sessions, int[][] tokens, int[] offsets, int[] lengths, int count) {
        for (int i = 0; i < count; i++) sessions[i].forward(tokens[i], offsets[i], lengths[i], null);
    }

    @Override
    void close();
}
