package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model's sessions share one prompt pass ({@link SharedPrefillPass}): a session costs its KV cache and logits, not
 * a chunk's scratch space, and sharing changes no result — interleaved or concurrent sessions get the bits each gets
 * alone on a model of its own.
 */
class SharedPrefillPassTest {
    private static final int CONTEXT = 200;

    /** A prompt of {@code n} tokens: more than two 64-token chunks, so chunks of two sessions interleave. */
    private static int[] prompt(int seed, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = 3 + (seed * 131 + i * 37) % 1100;
        return p;
    }

    /** Prompt, then {@code steps} greedy tokens one at a time; the logits after each forward, concatenated. */
    private static float[][] run(Session s, int[] prompt, int steps) {
        float[][] out = new float[steps + 1][];
        s.forward(prompt, 0, prompt.length, null);
        out[0] = s.logits().clone();
        for (int i = 0; i < steps; i++) {
            s.forward(new int[] {argmax(s.logits())}, 0, 1, null);
            out[i + 1] = s.logits().clone();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0", "falcon-q4_0"})
    void interleavedSessionsGetTheLogitsEachGetsAlone(String name) {
        int[] a = prompt(1, 150), b = prompt(2, 70);
        float[][] aloneA, aloneB;
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            aloneA = run(model.newSession(CONTEXT), a, 8);
        }
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            aloneB = run(model.newSession(CONTEXT), b, 8);
        }
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            Session sa = model.newSession(CONTEXT), sb = model.newSession(CONTEXT);
            // chunk by chunk, alternating: each forward leaves the shared pass's buffers full of the other's state
            for (int off = 0; off < a.length; off += 50) {
                sa.forward(a, off, Math.min(50, a.length - off), null);
                if (off < b.length) sb.forward(b, off, Math.min(50, b.length - off), null);
            }
            assertThat(sa.logits()).containsExactly(aloneA[0]);
            assertThat(sb.logits()).containsExactly(aloneB[0]);
            for (int i = 0; i < 8; i++) {
                sa.forward(new int[] {argmax(sa.logits())}, 0, 1, null);
                sb.forward(new int[] {argmax(sb.logits())}, 0, 1, null);
                assertThat(sa.logits()).as("a, step %d", i).containsExactly(aloneA[i + 1]);
                assertThat(sb.logits()).as("b, step %d", i).containsExactly(aloneB[i + 1]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-q4_0"})
    void sessionsDrivenFromTwoThreadsAtOnceGetTheirOwnResults(String name) throws Exception {
        int[] a = prompt(3, 130), b = prompt(4, 90);
        float[][] aloneA, aloneB;
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            aloneA = run(model.newSession(CONTEXT), a, 20);
            aloneB = run(model.newSession(CONTEXT), b, 20);
        }
        try (TransformerModel model = BatchDecoderTest.load(name, 2);
             ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<float[][]> fa = threads.submit(() -> run(model.newSession(CONTEXT), a, 20));
            Future<float[][]> fb = threads.submit(() -> run(model.newSession(CONTEXT), b, 20));
            float[][] ra = fa.get(), rb = fb.get();
            for (int i = 0; i <= 20; i++) {
                assertThat(ra[i]).as("a, forward %d", i).containsExactly(aloneA[i]);
                assertThat(rb[i]).as("b, forward %d", i).containsExactly(aloneB[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0", "falcon-q4_0"})
    void aSessionCostsItsCacheAndLogitsNotAPromptPass(String name) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            ModelConfig c = model.config();
            model.newSession(CONTEXT).forward(prompt(5, 100), 0, 100, null); // the shared pass exists from here on
            long tid = Thread.currentThread().threadId();
            long before = bean.getThreadAllocatedBytes(tid);
            Session s = model.newSession(CONTEXT);
            long allocated = bean.getThreadAllocatedBytes(tid) - before;
            assertThat(s.position()).isZero();
            long cache = 2L * c.layerCount() * CONTEXT * c.kvDim() * Float.BYTES;
            long logits = (long) c.vocabSize() * Float.BYTES;
            // one chunk's scratch alone (x, xn, qkv, attn, proj, up, down, rounded: 64 tokens each) is several times the slack
            long chunkScratch = 64L * Float.BYTES * (5L * c.embeddingLength() + 3L * c.feedForwardLength());
            assertThat(chunkScratch).isGreaterThan(4 * 16_384);
            assertThat(allocated).isLessThan(cache + logits + 16_384);
        }
    }

    /**
     * Chunks of four sessions in one pass ({@link TransformerModel#forwardTogether}), each session at its own position:
     * every one gets the logits, and afterwards the decoding, it gets alone. The 5-token chunk is too short for the
     * prompt kernels and goes alone; the others share the pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0", "falcon-q4_0", "llama-q4_k_m", "demo"})
    void chunksForwardedTogetherGetTheBitsEachGetsAlone(String name) {
        int[] lengths = {20, 17, 5, 16};
        int[] prefixes = {0, 9, 3, 30};
        int n = lengths.length;
        int[][] prompts = new int[n][];
        for (int i = 0; i < n; i++) prompts[i] = prompt(10 + i, prefixes[i] + lengths[i]);
        float[][][] alone = new float[n][][];
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            for (int i = 0; i < n; i++) {
                Session s = model.newSession(CONTEXT);
                if (prefixes[i] > 0) s.forward(prompts[i], 0, prefixes[i], null);
                alone[i] = new float[4][];
                s.forward(prompts[i], prefixes[i], lengths[i], null);
                alone[i][0] = s.logits().clone();
                for (int step = 1; step < 4; step++) {
                    s.forward(new int[] {argmax(s.logits())}, 0, 1, null);
                    alone[i][step] = s.logits().clone();
                }
            }
        }
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            Session[] sessions = new Session[n];
            for (int i = 0; i < n; i++) {
                sessions[i] = model.newSession(CONTEXT);
                if (prefixes[i] > 0) sessions[i].forward(prompts[i], 0, prefixes[i], null);
            }
            model.forwardTogether(sessions, prompts, prefixes, lengths, n);
            for (int i = 0; i < n; i++) {
                assertThat(sessions[i].position()).isEqualTo(prefixes[i] + lengths[i]);
                assertThat(sessions[i].logits()).as("session %d after the shared pass", i).containsExactly(alone[i][0]);
            }
            for (int step = 1; step < 4; step++) {
                for (int i = 0; i < n; i++) {
                    sessions[i].forward(new int[] {argmax(sessions[i].logits())}, 0, 1, null);
                    assertThat(sessions[i].logits()).as("session %d step %d", i, step).containsExactly(alone[i][step]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0"})
    void aSessionTwiceInOnePassIsRefused(String name) {
        try (TransformerModel model = BatchDecoderTest.load(name, 2)) {
            Session s = model.newSession(CONTEXT);
            int[] p = prompt(1, 40);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forwardTogether(new Session[] {s, s}, new int[][] {p, p},
                    new int[] {0, 20}, new int[] {20, 20}, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
            assertThat(s.position()).isZero();
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
