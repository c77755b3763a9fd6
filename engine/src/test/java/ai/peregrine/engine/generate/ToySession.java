package ai.peregrine.engine.generate;

import ai.peregrine.engine.model.Session;
import java.util.function.IntFunction;

/** Test double: the logits after a token are a fixed function of that token alone. */
final class ToySession implements Session {
    private final IntFunction<float[]> logitsAfter;
    private final int contextLength;
    private final int vocab;
    private float[] logits;
    private int position;
    int forwardedTokens;

    ToySession(int vocab, int contextLength, IntFunction<float[]> logitsAfter) {
        this.vocab = vocab;
        this.contextLength = contextLength;
        this.logitsAfter = logitsAfter;
    }

    /** A model that strongly predicts {@code successor[prev]} over a deterministic background. */
    static IntFunction<float[]> chain(int vocab, int[] successor) {
        return prev -> {
            float[] row = new float[vocab];
            for (int v = 0; v < vocab; v++) row[v] = -((v * 7 + prev * 3) % 11) / 3f;
            row[successor[prev]] = 6f;
            return row;
        };
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
        return vocab;
    }

    @Override
    public void forward(int[] tokens, int off, int len, float[][] allLogits) {
        if (position + len > contextLength) throw new IllegalStateException("context overflow");
        for (int i = 0; i < len; i++) {
            logits = logitsAfter.apply(tokens[off + i]);
            if (allLogits != null) System.arraycopy(logits, 0, allLogits[i], 0, vocab);
        }
        position += len;
        forwardedTokens += len;
    }

    @Override
    public float[] logits() {
        return logits;
    }

    @Override
    public void truncate(int position) {
        this.position = Math.min(this.position, position);
    }

    @Override
    public void close() {}
}
