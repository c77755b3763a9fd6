package ai.peregrine.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllocationFreeChoiceTest {
    @Test
    void choosingAtFalconVocabularySizeAllocatesNothingPerToken() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        int vocab = 65_024;
        Random random = new Random(11);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) logits[i] = (float) random.nextGaussian() * 2;
        TokenHistory history = new TokenHistory(vocab);
        for (int i = 0; i < 500; i++) history.add(random.nextInt(vocab));
        SamplingParams all = new SamplingParams(0.8f, 50, 0.9f, 0.95f, 1.2f, 0.5f, true, 1L, false);
        TokenChooser chooser = new TokenChooser(all, vocab);
        TokenChooser nucleus = new TokenChooser(new SamplingParams(1.3f, 0, 0.95f, 1f, 1f, 0f, true, 2L, false), vocab);
        int[] ids = new int[5];
        float[] lps = new float[5];
        for (int i = 0; i < 200; i++) { // warm up (JIT, lazy class init)
            chooser.choose(logits, history);
            nucleus.choose(logits, history);
            chooser.topTokens(5, ids, lps);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200; i++) {
            chooser.choose(logits, history);
            nucleus.choose(logits, history);
            chooser.topTokens(5, ids, lps);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated over 400 choices").isLessThan(4096);
    }
}
