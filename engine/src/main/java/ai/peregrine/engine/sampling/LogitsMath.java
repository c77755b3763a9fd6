package ai.peregrine.engine.sampling;

/** Numerically stable softmax helpers over the first {@code n} entries of a row; -inf entries have probability 0. */
public final class LogitsMath {
    private LogitsMath() {}

    public static float max(float[] x, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) if (x[i] > m) m = x[i];
        return m;
    }

    /** log(sum(exp(x))), so that log_softmax(x)[i] = x[i] - logSumExp(x). */
    public static double logSumExp(float[] x, int n) {
        float m = max(x, n);
        if (m == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(x[i] - m);
        return m + Math.log(sum);
    }

    public static int argmax(float[] x, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
