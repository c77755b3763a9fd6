package ai.peregrine.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PenaltiesTest {
    @Test
    void repetitionDividesPositiveMultipliesNegativeOncePerDistinctId() {
        float[] scores = {2f, -2f, 4f, -1f, 3f};
        TokenHistory history = new TokenHistory(5);
        for (int id : new int[] {0, 1, 0, 0, 2, 1}) history.add(id);

        Penalties.repetition(scores, history, 2f);

        assertThat(scores).containsExactly(1f, -4f, 2f, -1f, 3f);
    }

    @Test
    void frequencySubtractsCountOverLengthTimesPenalty() {
        float[] scores = {1f, 1f, 1f, 1f};
        TokenHistory history = new TokenHistory(4);
        for (int id : new int[] {0, 0, 0, 2}) history.add(id);

        Penalties.frequency(scores, history, 0.8f);

        assertThat(scores[0]).isCloseTo(1f - 0.75f * 0.8f, within(1e-6f));
        assertThat(scores[1]).isEqualTo(1f);
        assertThat(scores[2]).isCloseTo(1f - 0.25f * 0.8f, within(1e-6f));
        assertThat(scores[3]).isEqualTo(1f);
    }

    @Test
    void historyClearResetsCounts() {
        TokenHistory history = new TokenHistory(3);
        history.add(1);
        history.add(1);
        history.clear();
        history.add(2);
        assertThat(history.count(1)).isZero();
        assertThat(history.length()).isEqualTo(1);
        assertThat(history.distinctCount()).isEqualTo(1);
    }
}
