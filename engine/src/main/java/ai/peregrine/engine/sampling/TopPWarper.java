package ai.peregrine.engine.sampling;

/**
 * TGI {@code HeterogeneousTopPLogitsWarper}: sorted ascending, a token is removed when the cumulative probability up to
 * and including it is {@code <= 1 - top_p}; the highest token is always kept. Equivalently, walking from the highest
 * token down, a token is kept while the mass of the tokens above it is {@code < top_p} — so only the nucleus needs
 * ordering, which is found by selecting a growing prefix instead of sorting the vocabulary.
 */
final class TopPWarper {
    private static final int FIRST_PREFIX = 64;

    private final ScoreRanking ranking;
    private final float[] kept;

    TopPWarper(ScoreRanking ranking, int capacity) {
        this.ranking = ranking;
        this.kept = new float[capacity];
    }

    void apply(float[] scores, int n, float topP) {
        if (topP >= 1f) return;
        float max = LogitsMath.max(scores, n);
        double z = 0;
        for (int i = 0; i < n; i++) z += Math.exp(scores[i] - max);
        ranking.load(scores, n, true);
        int keep = n;
        for (int m = Math.min(n, FIRST_PREFIX); ; m = Math.min(n, m * 8)) {
            ranking.selectTop(m);
            int cut = nucleusSize(scores, m, max, z, topP);
            if (cut >= 0) {
                keep = cut;
                break;
            }
            if (m == n) break; // rounding never reached top_p: keep everything
        }
        if (keep == n) return;
        for (int r = 0; r < keep; r++) kept[r] = scores[ranking.indexAt(r)];
        java.util.Arrays.fill(scores, 0, n, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < keep; r++) scores[ranking.indexAt(r)] = kept[r];
    }

    /** Number of kept tokens if the cut falls within the first m ranks, else -1. */
    private int nucleusSize(float[] scores, int m, float max, double z, float topP) {
        double massAbove = 0;
        for (int r = 0; r < m; r++) {
            if (massAbove >= topP) return r;
            massAbove += Math.exp(scores[ranking.indexAt(r)] - max) / z;
        }
        return -1;
    }
}
