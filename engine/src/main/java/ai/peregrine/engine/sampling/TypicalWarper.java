package ai.peregrine.engine.sampling;

/**
 * HF {@code TypicalLogitsWarper(mass)}: rank tokens by |-log p - H| (H the entropy), ascending; find the first rank
 * where the cumulative probability reaches {@code mass}; keep every token whose distance is at most that rank's.
 */
final class TypicalWarper {
    private static final int FIRST_PREFIX = 64;

    private final ScoreRanking ranking;
    private final float[] distance;

    TypicalWarper(ScoreRanking ranking, int capacity) {
        this.ranking = ranking;
        this.distance = new float[capacity];
    }

    void apply(float[] scores, int n, float mass) {
        if (mass >= 1f) return;
        double lse = LogitsMath.logSumExp(scores, n);
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            double logp = scores[i] - lse;
            if (logp > Double.NEGATIVE_INFINITY) entropy -= logp * Math.exp(logp);
        }
        for (int i = 0; i < n; i++) distance[i] = (float) Math.abs(-(scores[i] - lse) - entropy);
        ranking.load(distance, n, false);
        float threshold = Float.NaN;
        for (int m = Math.min(n, FIRST_PREFIX); ; m = Math.min(n, m * 8)) {
            ranking.selectTop(m);
            int last = firstReachingMass(scores, m, lse, mass);
            if (last >= 0) {
                threshold = distance[ranking.indexAt(last)];
                break;
            }
            if (m == n) {
                threshold = distance[ranking.indexAt(n - 1)]; // HF clamps last_ind to the final rank
                break;
            }
        }
        for (int i = 0; i < n; i++) if (distance[i] > threshold) scores[i] = Float.NEGATIVE_INFINITY;
    }

    private int firstReachingMass(float[] scores, int m, double lse, float mass) {
        double cumulative = 0;
        for (int r = 0; r < m; r++) {
            cumulative += Math.exp(scores[ranking.indexAt(r)] - lse);
            if (cumulative >= mass) return r;
        }
        return -1;
    }
}
