package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A batched decode step gives every sequence the logits it would get alone, whatever its length. */
class BatchDecoderTest {
    @Test
    void batchedStepsMatchSequentialDecodingForSequencesOfDifferentLengths() {
        try (TransformerModel model = ModelLoader.loadDemo(2)) {
            int[][] prompts = {{5, 6, 7, 8, 9, 10, 11}, {300, 301}, {42}, {7, 7, 7}, {1000, 1001, 1002, 1003}};
            int n = prompts.length;
            Session[] alone = new Session[n];
            Session[] batched = new Session[n];
            for (int i = 0; i < n; i++) {
                alone[i] = model.newSession(64);
                batched[i] = model.newSession(64);
                alone[i].forward(prompts[i], 0, prompts[i].length, null);
                batched[i].forward(prompts[i], 0, prompts[i].length, null);
            }
            BatchDecoder decoder = model.newBatchDecoder(8);
            int[] next = new int[n];
            for (int step = 0; step < 6; step++) {
                for (int i = 0; i < n; i++) next[i] = argmax(alone[i].logits());
                for (int i = 0; i < n; i++) alone[i].forward(next, i, 1, null);
                decoder.decode(List.of(batched), next);
                for (int i = 0; i < n; i++) {
                    assertThat(batched[i].position()).isEqualTo(alone[i].position());
                    // bit for bit: batching must not change what a sequence generates
                    assertThat(batched[i].logits()).as("sequence %d step %d", i, step).containsExactly(alone[i].logits());
                }
            }
        }
    }

    @Test
    void misuseIsRejectedBeforeAnythingRuns() {
        try (TransformerModel model = ModelLoader.loadDemo(1)) {
            Session s = model.newSession(2);
            s.forward(new int[] {1, 2}, 0, 2, null);
            BatchDecoder decoder = model.newBatchDecoder(2);
            assertThatThrownBy(() -> decoder.decode(List.of(s), new int[] {3})).hasMessageContaining("exceeds the context length");
            Session t = model.newSession(8);
            assertThatThrownBy(() -> decoder.decode(List.of(t, t), new int[] {3, 4})).hasMessageContaining("twice");
            assertThatThrownBy(() -> decoder.decode(List.of(t, t, t), new int[] {3, 4, 5})).hasMessageContaining("exceeds 2");
            assertThat(t.position()).isZero();
        }
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
