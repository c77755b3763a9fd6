package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.WorkerPool;
import java.util.List;

/**
 * One decode step for several sequences at once (continuous batching): their next tokens go through the
 * layers together, so each weight matrix is read once per step for the whole batch instead of once per
 * sequence, while attention runs over each sequence's own cache. Not thread-safe: one scheduler thread owns it.
 */
public final class BatchDecoder {
    private final ModelConfig c;
    private final ForwardPass pass;
    private final KvCache[] caches;
    private final int[] positions;
    private final int[] tokens;
    private final float[] logits;

    BatchDecoder(ModelConfig c, TransformerWeights w, WorkerPool pool, int maxBatch) {
        this.c = c;
        this.pass = new ForwardPass(c, w, pool, maxBatch, c.contextLength(), true);
        this.caches = new KvCache[maxBatch];
        this.positions = new int[maxBatch];
        this.tokens = new int[maxBatch];
        this.logits = new float[maxBatch * c.vocabSize()];
    }

    public int maxBatch() {
        return pass.maxTokens();
    }

    /**
     * Appends {@code next[i]} to {@code sessions.get(i)} for every i; afterwards each session's {@link Session#logits()}
     * holds its next-token logits, exactly as if it had been forwarded alone.
     */
    public void decode(List<? extends Session> sessions, int[] next) {
        int n = sessions.size();
        if (n == 0) return;
        if (n > maxBatch()) throw new IllegalArgumentException("batch of " + n + " exceeds " + maxBatch());
        for (int i = 0; i < n; i++) {
            if (!(sessions.get(i) instanceof TransformerSession s)) {
                throw new IllegalArgumentException("sessions must come from this model");
            }
            s.checkRoom(1);
            s.checkToken(next[i]);
            for (int j = 0; j < i; j++) {
                if (caches[j] == s.cache) throw new IllegalArgumentException("a session appears twice in one batch");
            }
            caches[i] = s.cache;
            positions[i] = s.position;
            tokens[i] = next[i];
        }
        pass.layers(tokens, 0, n, caches, positions);
        pass.logits(0, n, logits);
        for (int i = 0; i < n; i++) {
            TransformerSession s = (TransformerSession) sessions.get(i);
            s.position++;
            System.arraycopy(logits, i * c.vocabSize(), s.logits(), 0, c.vocabSize());
            caches[i] = null;
        }
    }
}
