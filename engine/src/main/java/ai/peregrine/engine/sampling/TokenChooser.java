package ai.peregrine.engine.sampling;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks the next token from one logits row: {@link LogitsProcessor}, then a categorical draw from the softmax
 * with a seeded RNG (sampling) or argmax (greedy). The chosen token's logprob is log_softmax of the processed
 * scores, as TGI reports it. Not thread-safe: one instance per sequence; no allocation per call.
 */
public final class TokenChooser {
    private final LogitsProcessor processor;
    private final boolean sampling;
    private final Long seed;
    private final SplitMix64 rng;
    private final ScoreRanking ranking;
    private double logSumExp;
    private int lastToken = -1;

    public TokenChooser(SamplingParams params, int vocabSize) {
        this.processor = new LogitsProcessor(params, vocabSize);
        this.sampling = params.isSampling();
        if (sampling) {
            this.seed = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
            this.rng = new SplitMix64(seed);
        } else {
            this.seed = null;
            this.rng = null;
        }
        this.ranking = new ScoreRanking(vocabSize);
    }

    /** Chooses the next token id given the raw logits (not modified) and the ids seen so far. */
    public int choose(float[] logits, TokenHistory history) {
        float[] scores = processor.process(logits, history);
        int n = processor.vocabSize();
        logSumExp = LogitsMath.logSumExp(scores, n);
        lastToken = sampling ? sample(scores, n) : LogitsMath.argmax(scores, n);
        return lastToken;
    }

    private int sample(float[] scores, int n) {
        double u = rng.nextDouble();
        double cumulative = 0;
        int lastPossible = -1;
        for (int i = 0; i < n; i++) {
            double p = Math.exp(scores[i] - logSumExp);
            if (p == 0) continue;
            cumulative += p;
            lastPossible = i;
            if (u < cumulative) return i;
        }
        return lastPossible >= 0 ? lastPossible : LogitsMath.argmax(scores, n); // rounding left u above the total
    }

    /** Logprob of the last chosen token. */
    public float lastLogprob() {
        return logprob(lastToken);
    }

    /** log_softmax of the last processed scores at {@code id}. */
    public float logprob(int id) {
        return (float) (processor.scores()[id] - logSumExp);
    }

    /**
     * The {@code count} most likely tokens of the last processed scores, most likely first, into {@code ids} and
     * {@code logprobs}; returns how many were written (min of count and the vocabulary).
     */
    public int topTokens(int count, int[] ids, float[] logprobs) {
        int n = processor.vocabSize();
        int m = Math.min(count, n);
        if (m <= 0) return 0;
        ranking.load(processor.scores(), n, true);
        ranking.selectTop(m);
        for (int r = 0; r < m; r++) {
            ids[r] = ranking.indexAt(r);
            logprobs[r] = logprob(ids[r]);
        }
        return m;
    }

    public boolean isSampling() {
        return sampling;
    }

    /** The seed in use (drawn when the request had none); null when greedy, as TGI reports it. */
    public Long seed() {
        return seed;
    }
}
