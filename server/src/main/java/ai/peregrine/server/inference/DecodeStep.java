package ai.peregrine.server.inference;

import ai.peregrine.engine.model.Session;
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

    /** Today's engine: one single-token forward per sequence. */
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
