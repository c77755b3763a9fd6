package ai.peregrine.engine.sampling;

/** TGI's history-based logit processors, applied in place to one row of scores. */
public final class Penalties {
    private Penalties() {}

    /** CTRL repetition penalty: each distinct seen id once; positive scores divided, negative multiplied. */
    public static void repetition(float[] scores, TokenHistory history, float penalty) {
        for (int i = 0; i < history.distinctCount(); i++) {
            int id = history.distinctId(i);
            float s = scores[id];
            scores[id] = s < 0 ? s * penalty : s / penalty;
        }
    }

    /** TGI heterogeneous frequency penalty: {@code score -= count(id) / len(input_ids) * penalty}. */
    public static void frequency(float[] scores, TokenHistory history, float penalty) {
        if (history.length() == 0) return;
        float invLen = 1f / history.length();
        for (int i = 0; i < history.distinctCount(); i++) {
            int id = history.distinctId(i);
            scores[id] -= history.count(id) * invLen * penalty;
        }
    }
}
