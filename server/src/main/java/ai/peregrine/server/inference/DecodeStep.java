package ai.peregrine.server.inference;

import ai.peregrine.engine.model.BatchDecoder;
import ai.peregrine.engine.model.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * One decode step over the running batch: feeds each slot's last chosen token to its session, after which
 * {@code session.logits()} holds that sequence's next-token logits. A batched engine forward (one pass over
 * the weights for all sequences) implements this interface without changing the scheduler.
 */
@FunctionalInterface
public interface DecodeStep {
    interface Slot {
        Session session();

        int lastToken();
    }

    void forward(List<? extends Slot> batch);

    /**
     * Continuous batching: one forward pass over the weights for every running sequence (the engine's
     * {@link BatchDecoder}); a lone sequence takes the single-token path, which has the faster mat-vec kernels.
     */
    static DecodeStep batched(BatchDecoder decoder) {
        DecodeStep single = perSequence();
        List<Session> sessions = new ArrayList<>(decoder.maxBatch());
        int[] next = new int[decoder.maxBatch()];
        return batch -> {
            if (batch.size() == 1 || batch.size() > decoder.maxBatch()) {
                single.forward(batch);
                return;
            }
            sessions.clear();
            for (int i = 0; i < batch.size(); i++) {
                sessions.add(batch.get(i).session());
                next[i] = batch.get(i).lastToken();
            }
            decoder.decode(sessions, next);
        };
    }

    /** One single-token forward per sequence. */
    static DecodeStep perSequence() {
        int[] token = new int[1];
        return batch -> {
            for (Slot slot : batch) {
                token[0] = slot.lastToken();
                slot.session().forward(token, 0, 1, null);
            }
        };
    }
}
