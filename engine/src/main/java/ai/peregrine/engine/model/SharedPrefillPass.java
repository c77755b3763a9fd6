package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.WorkerPool;
import ai.peregrine.engine.tensor.WeightMatrix;

/**
 * The one {@link ForwardPass} for prompt chunks that all of a model's sessions share. Its scratch space is sized for a
 * whole chunk (~9 MB on TinyLlama, ~25 MB on Falcon-7B); a server keeps a session per batch slot, and one pass each
 * would cost that much per slot for buffers only one forward at a time can use (the worker pool runs one job at a
 * time anyway). Made on the first prompt, so a model that only decodes in batches never pays for it. Callers hold
 * this object's monitor for the whole forward: sessions of one model may still be driven from several threads. The
 * same pass takes chunks of several sessions at once ({@link #forwardTogether}), which is how a server prefills
 * prompts that arrive together.
 */
final class SharedPrefillPass {
    private final ModelConfig c;
    private final TransformerWeights w;
    private final WorkerPool pool;
    private ForwardPass pass;
    /** Several sessions' chunks in one pass ({@link #forwardTogether}): each token's id, cache and position. */
    private final int[] tokens = new int[TransformerSession.MAX_CHUNK];
    private final KvCache[] caches = new KvCache[TransformerSession.MAX_CHUNK];
    private final int[] positions = new int[TransformerSession.MAX_CHUNK];

    SharedPrefillPass(ModelConfig c, TransformerWeights w, WorkerPool pool) {
        this.c = c;
        this.w = w;
        this.pool = pool;
    }

    /** The pass, made on first use; call with this object's monitor held. */
    ForwardPass pass() {
        if (pass == null) pass = new ForwardPass(c, w, pool, TransformerSession.MAX_CHUNK, c.contextLength(), false);
        return pass;
    }

    /**
     * {@link TransformerModel#forwardTogether}: the chunks that take the prompt kernels alone too
     * ({@link WeightMatrix#prefillApplies}; every (row, token) is then one FMA chain whatever else is in the pass, so
     * each session gets the bits it gets alone) go through this pass at once, up to {@link TransformerSession#MAX_CHUNK}
     * tokens in all; the others go through {@link Session#forward} first. Returns false, having done nothing, when fewer
     * than two chunks would join: forwarding them in turn is the same.
     */
    boolean forwardTogether(Session[] sessions, int[][] ids, int[] offsets, int[] lengths, int count) {
        boolean[] joins = new boolean[count];
        int joined = 0, total = 0;
        for (int i = 0; i < count; i++) {
            if (sessions[i] instanceof TransformerSession s && s.belongsTo(this) && WeightMatrix.prefillApplies(lengths[i])
                    && total + lengths[i] <= TransformerSession.MAX_CHUNK) {
                joins[i] = true;
                joined++;
                total += lengths[i];
            }
        }
        if (joined < 2) return false;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < i; j++) {
                if (sessions[j] == sessions[i]) throw new IllegalArgumentException("a session appears twice in one pass");
            }
            if (!joins[i]) continue;
            TransformerSession s = (TransformerSession) sessions[i];
            s.checkRoom(lengths[i]);
            for (int k = offsets[i]; k < offsets[i] + lengths[i]; k++) s.checkToken(ids[i][k]);
        }
        for (int i = 0; i < count; i++) {
            if (!joins[i]) sessions[i].forward(ids[i], offsets[i], lengths[i], null);
        }
        synchronized (this) {
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (!joins[i]) continue;
                TransformerSession s = (TransformerSession) sessions[i];
                for (int k = 0; k < lengths[i]; k++, n++) {
                    tokens[n] = ids[i][offsets[i] + k];
                    caches[n] = s.cache;
                    positions[n] = s.position + k;
                }
            }
            ForwardPass p = pass();
            p.layers(tokens, 0, n, caches, positions);
            n = 0;
            for (int i = 0; i < count; i++) {
                if (!joins[i]) continue;
                TransformerSession s = (TransformerSession) sessions[i];
                n += lengths[i];
                p.logits(n - 1, 1, s.logits());
                s.position += lengths[i];
            }
            java.util.Arrays.fill(caches, null);
        }
        return true;
    }
}
