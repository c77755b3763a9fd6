package ai.peregrine.server.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.generate.GenerationRequest;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * Prompts that wait together are prefilled together: while a decode step holds the scheduler, three prompts queue;
 * the next step prefills all three in one pass (the scheduler reports a prefill batch of 3), and each generates the
 * tokens it generates alone.
 */
class PrefillGroupingTest {
    private static final int[][] PROMPTS = {ids(18, 300), ids(20, 500), ids(17, 700)};

    private static int[] ids(int n, int from) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = from + 7 * i;
        return p;
    }

    private static ValidRequest request(int[] prompt, int seed) {
        GenerationRequest r = GenerationRequest.tokens(prompt).maxNewTokens(12)
                .sampling(new SamplingParams(0.9f, 40, 1f, 1f, 1f, 0f, true, (long) seed, false)).build();
        long now = System.nanoTime();
        return new ValidRequest(r, prompt, now, now);
    }

    private static List<Integer> tokens(InferenceJob job) throws InterruptedException {
        List<Integer> ids = new ArrayList<>();
        while (true) {
            JobEvent e = job.poll(30_000);
            assertThat(e).as("an event within 30 s").isNotNull();
            if (e instanceof JobEvent.Token t) ids.add(t.token().id());
            else if (e instanceof JobEvent.Failed f) throw new AssertionError(f.cause());
            else return ids;
        }
    }

    @Test
    void promptsQueuedDuringADecodeStepArePrefilledInOnePassWithTheirOwnResults() throws Exception {
        try (TransformerModel model = ModelLoader.loadDemo(2)) {
            List<List<Integer>> alone = new ArrayList<>();
            try (InferenceScheduler s = new InferenceScheduler(model, 16, 8, 256, 512, DecodeStep.batched(model.newBatchDecoder(8)))) {
                for (int i = 0; i < PROMPTS.length; i++) alone.add(tokens(s.submit(s.tryAdmit(), request(PROMPTS[i], 100 + i))));
            }

            Semaphore held = new Semaphore(0);
            CountDownLatch holding = new CountDownLatch(1);
            DecodeStep batched = DecodeStep.batched(model.newBatchDecoder(8));
            DecodeStep gated = batch -> {
                holding.countDown();
                held.acquireUninterruptibly();
                held.release(); // once let through, every later step passes
                batched.forward(batch);
            };
            List<Integer> prefillBatches = new CopyOnWriteArrayList<>();
            try (InferenceScheduler s = new InferenceScheduler(model, 16, 8, 256, 512, gated)) {
                s.onPrefillBatch(prefillBatches::add);
                InferenceJob first = s.submit(s.tryAdmit(), request(ids(30, 900), 7));
                holding.await();
                List<InferenceJob> jobs = new ArrayList<>();
                for (int i = 0; i < PROMPTS.length; i++) jobs.add(s.submit(s.tryAdmit(), request(PROMPTS[i], 100 + i)));
                assertThat(s.queueSize()).isEqualTo(PROMPTS.length);
                held.release();
                List<List<Integer>> together = new ArrayList<>();
                for (InferenceJob j : jobs) together.add(tokens(j));
                assertThat(tokens(first)).hasSize(12);
                assertThat(together).isEqualTo(alone);
            }
            assertThat(prefillBatches).as("prompts per prefill pass").containsExactly(1, PROMPTS.length);
        }
    }
}
