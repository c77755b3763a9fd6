package ai.peregrine.engine.sampling;

/**
 * One request's logits pipeline in TGI's order: repetition_penalty → frequency_penalty → temperature → top_k →
 * top_p → typical_p. Works on a private copy of the row; all buffers are sized to the vocabulary once.
 * Not thread-safe: one instance per sequence.
 */
public final class LogitsProcessor {
    private final SamplingParams params;
    private final int vocabSize;
    private final float[] scores;
    private final TopKWarper topK;
    private final TopPWarper topP;
    private final TypicalWarper typical;

    public LogitsProcessor(SamplingParams params, int vocabSize) {
        this.params = params;
        this.vocabSize = vocabSize;
        this.scores = new float[vocabSize];
        ScoreRanking ranking = new ScoreRanking(vocabSize);
        this.topK = new TopKWarper(ranking);
        this.topP = new TopPWarper(ranking, vocabSize);
        this.typical = new TypicalWarper(ranking, vocabSize);
    }

    /**
     * Processes the first {@code vocabSize} logits of {@code logits} (left untouched) given the ids seen so far.
     *
     * @return the processed scores, an internal buffer overwritten by the next call
     */
    public float[] process(float[] logits, TokenHistory history) {
        System.arraycopy(logits, 0, scores, 0, vocabSize);
        if (params.repetitionPenalty() != 1f) Penalties.repetition(scores, history, params.repetitionPenalty());
        if (params.frequencyPenalty() != 0f) Penalties.frequency(scores, history, params.frequencyPenalty());
        if (params.temperature() != 1f) {
            float t = params.temperature();
            for (int i = 0; i < vocabSize; i++) scores[i] /= t;
        }
        if (params.topK() != 0) topK.apply(scores, vocabSize, params.topK());
        if (params.topP() < 1f) topP.apply(scores, vocabSize, params.topP());
        if (params.typicalP() < 1f) typical.apply(scores, vocabSize, params.typicalP());
        return scores;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The scores of the last {@link #process} call. */
    public float[] scores() {
        return scores;
    }
}
