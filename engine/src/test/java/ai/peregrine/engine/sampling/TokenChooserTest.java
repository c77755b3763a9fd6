package ai.peregrine.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenChooserTest {
    private static SamplingParams sampling(float temperature, int topK, float topP, Long seed) {
        return new SamplingParams(temperature, topK, topP, 1f, 1f, 0f, true, seed, false);
    }

    private static double logSoftmax(float[] logits, int id) {
        return logits[id] - LogitsMath.logSumExp(logits, logits.length);
    }

    @Test
    void samplingIsOnForDoSampleOrAnyActiveWarper() {
        SamplingParams g = SamplingParams.GREEDY;
        assertThat(g.isSampling()).isFalse();
        assertThat(new SamplingParams(1f, 0, 1f, 1f, 1.3f, 0.5f, false, 5L, false).isSampling())
                .as("penalties and seed alone do not imply sampling").isFalse();
        assertThat(new SamplingParams(1f, 0, 1f, 1f, 1f, 0f, true, null, false).isSampling()).isTrue();
        assertThat(new SamplingParams(0.7f, 0, 1f, 1f, 1f, 0f, false, null, false).isSampling()).isTrue();
        assertThat(new SamplingParams(1f, 3, 1f, 1f, 1f, 0f, false, null, false).isSampling()).isTrue();
        assertThat(new SamplingParams(1f, 0, 0.9f, 1f, 1f, 0f, false, null, false).isSampling()).isTrue();
        assertThat(new SamplingParams(1f, 0, 1f, 0.9f, 1f, 0f, false, null, false).isSampling()).isTrue();
    }

    @Test
    void greedyPicksArgmaxWithRawLogSoftmaxAndNoSeed() {
        float[] logits = {0.1f, 2.5f, -1f, 2.4f};
        TokenChooser chooser = new TokenChooser(SamplingParams.GREEDY, 4);

        assertThat(chooser.choose(logits, new TokenHistory(4))).isEqualTo(1);
        assertThat((double) chooser.lastLogprob()).isCloseTo(logSoftmax(logits, 1), within(1e-6));
        assertThat(chooser.seed()).isNull();
        assertThat(logits).containsExactly(0.1f, 2.5f, -1f, 2.4f);
    }

    @Test
    void greedyAppliesRepetitionPenaltyBeforeArgmax() {
        float[] logits = {0.1f, 2.5f, -1f, 2.4f};
        TokenHistory history = new TokenHistory(4);
        history.add(1);
        TokenChooser chooser = new TokenChooser(new SamplingParams(1f, 0, 1f, 1f, 2f, 0f, false, null, false), 4);

        assertThat(chooser.choose(logits, history)).isEqualTo(3);
        float[] processed = {0.1f, 1.25f, -1f, 2.4f};
        assertThat((double) chooser.lastLogprob()).isCloseTo(logSoftmax(processed, 3), within(1e-6));
    }

    @Test
    void logprobIsLogSoftmaxOfTemperatureScaledScores() {
        float[] logits = {1f, 2f, 3f};
        TokenChooser chooser = new TokenChooser(sampling(0.5f, 0, 1f, 3L), 3);
        int id = chooser.choose(logits, new TokenHistory(3));
        float[] scaled = {2f, 4f, 6f};
        assertThat((double) chooser.lastLogprob()).isCloseTo(logSoftmax(scaled, id), within(1e-6));
    }

    @Test
    void sameSeedSameTokensAndMissingSeedIsDrawnAndReported() {
        Random random = new Random(3);
        float[] logits = new float[50];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
        TokenChooser a = new TokenChooser(sampling(1f, 0, 1f, 42L), 50);
        TokenChooser b = new TokenChooser(sampling(1f, 0, 1f, 42L), 50);
        TokenChooser c = new TokenChooser(sampling(1f, 0, 1f, 43L), 50);
        TokenHistory h = new TokenHistory(50);
        int[] sa = new int[100], sb = new int[100], sc = new int[100];
        for (int i = 0; i < 100; i++) {
            sa[i] = a.choose(logits, h);
            sb[i] = b.choose(logits, h);
            sc[i] = c.choose(logits, h);
        }
        assertThat(sa).isEqualTo(sb);
        assertThat(sa).isNotEqualTo(sc);
        assertThat(a.seed()).isEqualTo(42L);
        assertThat(new TokenChooser(sampling(1f, 0, 1f, null), 50).seed()).isNotNull();
    }

    @Test
    void empiricalDistributionMatchesTheSoftmax() {
        float[] logits = {0f, 1f, -0.5f, 2f, 0.3f};
        double lse = LogitsMath.logSumExp(logits, 5);
        int draws = 100_000;
        int[] counts = new int[5];
        TokenChooser chooser = new TokenChooser(sampling(1f, 0, 1f, 12345L), 5);
        TokenHistory h = new TokenHistory(5);
        for (int i = 0; i < draws; i++) counts[chooser.choose(logits, h)]++;
        double chiSquare = 0;
        for (int i = 0; i < 5; i++) {
            double expected = draws * Math.exp(logits[i] - lse);
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        assertThat(chiSquare).as("chi-square, 4 dof; 18.47 is p = 0.001").isLessThan(18.47);
    }

    @Test
    void topKSamplingOnlyDrawsFromTheKHighest() {
        float[] logits = {3f, 0f, 2.9f, 1f, 2.95f, 0.5f};
        TokenChooser chooser = new TokenChooser(sampling(1f, 2, 1f, 9L), 6);
        TokenHistory h = new TokenHistory(6);
        boolean[] seen = new boolean[6];
        for (int i = 0; i < 2000; i++) seen[chooser.choose(logits, h)] = true;
        assertThat(seen).containsExactly(true, false, false, false, true, false);
    }

    @Test
    void topTokensAreTheMostLikelyInOrderWithTheirLogprobs() {
        Random random = new Random(5);
        float[] logits = new float[300];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
        TokenChooser chooser = new TokenChooser(SamplingParams.GREEDY, 300);
        int chosen = chooser.choose(logits, new TokenHistory(300));
        int[] ids = new int[3];
        float[] lps = new float[3];

        assertThat(chooser.topTokens(3, ids, lps)).isEqualTo(3);

        assertThat(ids[0]).isEqualTo(chosen);
        float[] sorted = logits.clone();
        java.util.Arrays.sort(sorted);
        for (int r = 0; r < 3; r++) {
            assertThat(logits[ids[r]]).isEqualTo(sorted[299 - r]);
            assertThat((double) lps[r]).isCloseTo(logSoftmax(logits, ids[r]), within(1e-6));
        }
    }
}
