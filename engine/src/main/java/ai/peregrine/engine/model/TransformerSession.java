package ai.peregrine.engine.model;

import java.util.Arrays;

/**
 * One sequence: its KV cache and position, allocated once. Its tokens go through the model's
 * {@link SharedPrefillPass} in chunks of up to {@link #MAX_CHUNK}; batched decode over several sessions goes
 * through {@link BatchDecoder}.
 */
final class TransformerSession implements Session {
    static final int MAX_CHUNK = 64;

    private final ModelConfig c;
    private final int contextLength;
    private final SharedPrefillPass shared;
    final KvCache cache;
    private final KvCache[] caches;  // this session's cache once per chunk token
    private final int[] positions;
    private final float[] logits;
    private float[] chunkLogits;     // chunk × vocab, only when all logits are asked for
    int position;

    TransformerSession(ModelConfig c, SharedPrefillPass shared, KvCache cache) {
        this.c = c;
        this.contextLength = cache.capacity;
        int chunk = Math.min(MAX_CHUNK, contextLength);
        this.shared = shared;
        this.cache = cache;
        this.caches = new KvCache[chunk];
        Arrays.fill(caches, cache);
        this.positions = new int[chunk];
        this.logits = new float[c.vocabSize()];
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

    boolean belongsTo(SharedPrefillPass pass) {
        return shared == pass;
    }

    void checkRoom(int len) {
        if (position + len > contextLength) {
            throw new IllegalArgumentException("sequence of " + (position + len) + " tokens exceeds the context length " + contextLength);
        }
    }

    void checkToken(int token) {
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary [0, " + c.vocabSize() + ")");
        }
    }

    @Override
    public void forward(int[] tokens, int off, int len, float[][] allLogits) {
        if (len <= 0) throw new IllegalArgumentException("nothing to forward");
        checkRoom(len);
        for (int i = off; i < off + len; i++) checkToken(tokens[i]);
        synchronized (shared) {
            forwardChunks(shared.pass(), tokens, off, len, allLogits);
        }
    }

    private void forwardChunks(ForwardPass pass, int[] tokens, int off, int len, float[][] allLogits) {
        int chunk = positions.length;
        for (int done = 0; done < len; ) {
            int n = Math.min(chunk, len - done);
            for (int t = 0; t < n; t++) positions[t] = position + t;
            pass.layers(tokens, off + done, n, caches, positions);
            position += n;
            boolean last = done + n == len;
            if (allLogits != null) {
                if (chunkLogits == null) chunkLogits = new float[chunk * c.vocabSize()];
                pass.logits(0, n, chunkLogits);
                for (int t = 0; t < n; t++) System.arraycopy(chunkLogits, t * c.vocabSize(), allLogits[done + t], 0, c.vocabSize());
                if (last) System.arraycopy(chunkLogits, (n - 1) * c.vocabSize(), logits, 0, c.vocabSize());
            } else if (last) {
                pass.logits(n - 1, 1, logits);
            }
            done += n;
        }
    }

    @Override
    public void close() {
        // Nothing native to free: the cache lives on the heap and the weights belong to the model.
    }
}
