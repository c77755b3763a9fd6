package ai.peregrine.engine.sampling;

/** HF {@code TopKLogitsWarper}: scores below the k-th highest become -inf (ties with the k-th are kept). */
final class TopKWarper {
    private final ScoreRanking ranking;

    TopKWarper(ScoreRanking ranking) {
        this.ranking = ranking;
    }

    void apply(float[] scores, int n, int k) {
        if (k <= 0 || k >= n) return;
        ranking.load(scores, n, true);
        ranking.selectTop(k);
        float kth = scores[ranking.indexAt(k - 1)];
        for (int i = 0; i < n; i++) if (scores[i] < kth) scores[i] = Float.NEGATIVE_INFINITY;
    }
}
