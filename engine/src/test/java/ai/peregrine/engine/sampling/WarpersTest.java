package ai.peregrine.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WarpersTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static float[] logs(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) out[i] = (float) Math.log(probs[i]);
        return out;
    }

    private static int[] keptIds(float[] scores) {
        return IntStream.range(0, scores.length).filter(i -> scores[i] != NEG_INF).toArray();
    }

    @Test
    void topKKeepsExactlyTheKHighest() {
        Random random = new Random(1);
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian() * 3;
        float[] scores = logits.clone();

        new TopKWarper(new ScoreRanking(1000)).apply(scores, 1000, 7);

        int[] expected = IntStream.range(0, 1000).boxed()
                .sorted(Comparator.comparingDouble(i -> -logits[i])).limit(7)
                .mapToInt(Integer::intValue).sorted().toArray();
        assertThat(keptIds(scores)).containsExactly(expected);
        for (int id : expected) assertThat(scores[id]).isEqualTo(logits[id]);
    }

    @Test
    void topPKeepsTheMinimalNucleus() {
        float[] probs = logs(0.15, 0.5, 0.05, 0.3);
        float[] a = probs.clone();
        new TopPWarper(new ScoreRanking(4), 4).apply(a, 4, 0.75f);
        assertThat(keptIds(a)).containsExactly(1, 3);

        float[] b = probs.clone();
        new TopPWarper(new ScoreRanking(4), 4).apply(b, 4, 0.85f);
        assertThat(keptIds(b)).containsExactly(0, 1, 3);

        float[] c = probs.clone();
        new TopPWarper(new ScoreRanking(4), 4).apply(c, 4, 0.1f);
        assertThat(keptIds(c)).as("the highest token is always kept").containsExactly(1);
    }

    @Test
    void topPMatchesAFullSortReferenceOnLargeFlatVocabularies() {
        Random random = new Random(7);
        int n = 5000;
        for (float topP : new float[] {0.05f, 0.5f, 0.9f, 0.99f}) {
            for (float spread : new float[] {0.1f, 1f, 5f}) {
                float[] logits = new float[n];
                for (int i = 0; i < n; i++) logits[i] = (float) random.nextGaussian() * spread;
                float[] ours = logits.clone();
                new TopPWarper(new ScoreRanking(n), n).apply(ours, n, topP);
                assertThat(keptIds(ours)).as("top_p=%s spread=%s", topP, spread)
                        .containsExactly(referenceTopP(logits, topP));
            }
        }
    }

    /** TGI's algorithm literally: sort ascending, softmax, cumsum, remove cumprob <= 1 - top_p, keep the last. */
    private static int[] referenceTopP(float[] logits, float topP) {
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> logits[i]).thenComparing(i -> -i));
        double lse = LogitsMath.logSumExp(logits, logits.length);
        double[] cumulative = new double[logits.length];
        double sum = 0;
        for (int r = 0; r < order.length; r++) {
            sum += Math.exp(logits[order[r]] - lse);
            cumulative[r] = sum;
        }
        return IntStream.range(0, order.length)
                .filter(r -> r == order.length - 1 || !(cumulative[r] <= 1 - (double) topP))
                .map(r -> order[r]).sorted().toArray();
    }

    @Test
    void typicalKeepsTokensClosestToTheEntropyUntilMassIsReached() {
        // p = .5 .3 .15 .05, H = 1.1421; |-log p - H| = .449 .062 .755 1.854 → order 1,0,2,3; cum .3 .8 .95 1
        float[] probs = logs(0.5, 0.3, 0.15, 0.05);
        float[] a = probs.clone();
        new TypicalWarper(new ScoreRanking(4), 4).apply(a, 4, 0.2f);
        assertThat(keptIds(a)).as("the most typical token, not the most likely").containsExactly(1);

        float[] b = probs.clone();
        new TypicalWarper(new ScoreRanking(4), 4).apply(b, 4, 0.5f);
        assertThat(keptIds(b)).containsExactly(0, 1);

        float[] c = probs.clone();
        new TypicalWarper(new ScoreRanking(4), 4).apply(c, 4, 0.9f);
        assertThat(keptIds(c)).containsExactly(0, 1, 2);
    }

    @Test
    void typicalMatchesAFullSortReferenceOnLargeVocabularies() {
        Random random = new Random(9);
        int n = 3000;
        for (float mass : new float[] {0.2f, 0.9f, 0.99f}) {
            for (float spread : new float[] {0.3f, 3f}) {
                float[] logits = new float[n];
                for (int i = 0; i < n; i++) logits[i] = (float) random.nextGaussian() * spread;
                float[] ours = logits.clone();
                new TypicalWarper(new ScoreRanking(n), n).apply(ours, n, mass);
                assertThat(keptIds(ours)).as("mass=%s spread=%s", mass, spread)
                        .containsExactly(referenceTypical(logits, mass));
            }
        }
    }

    /** HF TypicalLogitsWarper step by step with a full sort. */
    private static int[] referenceTypical(float[] logits, float mass) {
        int n = logits.length;
        double lse = LogitsMath.logSumExp(logits, n);
        double entropy = 0;
        for (float l : logits) entropy -= (l - lse) * Math.exp(l - lse);
        float[] shifted = new float[n];
        for (int i = 0; i < n; i++) shifted[i] = (float) Math.abs(-(logits[i] - lse) - entropy);
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> shifted[i]));
        double cumulative = 0;
        int lastInd = 0;
        for (int r = 0; r < n; r++) {
            cumulative += Math.exp(logits[order[r]] - lse);
            if (cumulative < mass) lastInd++;
        }
        float threshold = shifted[order[Math.min(lastInd, n - 1)]];
        return IntStream.range(0, n).filter(i -> !(shifted[i] > threshold)).toArray();
    }

    @Test
    void typicalIgnoresAlreadyMaskedTokens() {
        float[] scores = {(float) Math.log(0.5), NEG_INF, (float) Math.log(0.3), (float) Math.log(0.2)};
        new TypicalWarper(new ScoreRanking(4), 4).apply(scores, 4, 0.95f);
        assertThat(keptIds(scores)).containsExactly(0, 2, 3);
    }
}
