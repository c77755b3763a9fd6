package ai.peregrine.engine.model;

import ai.peregrine.engine.parallel.WorkerPool;

/**
 * The one {@link ForwardPass} for prompt chunks that all of a model's sessions share. Its scratch space is sized for a
 * whole chunk (~9 MB on TinyLlama, ~25 MB on Falcon-7B); a server keeps a session per batch slot, and one pass each
 * would cost that much per slot for buffers only one forward at a time can use (the worker pool runs one job at a
 * time anyway). Made on the first prompt, so a model that only decodes in batches never pays for it. Callers hold
 * this object's monitor for the whole forward: sessions of one model may still be driven from several threads.
 */
final class SharedPrefillPass {
    private final ModelConfig c;
    private final TransformerWeights w;
    private final WorkerPool pool;
    private ForwardPass pass;
    /** Several sessions' chunks in one pass ({@link TransformerModel#forwardTogether}): each token's id, cache and position. */
    final int[] tokens = new int[TransformerSession.MAX_CHUNK];
    final KvCache[] caches = new KvCache[TransformerSession.MAX_CHUNK];
    final int[] positions = new int[TransformerSession.MAX_CHUNK];

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
}
