package ai.peregrine.engine.sampling;

/**
 * TGI's sampling parameters with TGI's defaults (temperature 1, top_k 0 = off, top_p 1, typical_p 1,
 * repetition_penalty 1, frequency_penalty 0). {@code seed} is null when the client gave none; it is an unsigned
 * 64-bit value carried in a long. {@code watermark} is accepted and carried but not applied.
 */
public record SamplingParams(
        float temperature,
        int topK,
        float topP,
        float typicalP,
        float repetitionPenalty,
        float frequencyPenalty,
        boolean doSample,
        Long seed,
        boolean watermark) {

    public static final SamplingParams GREEDY = new SamplingParams(1f, 0, 1f, 1f, 1f, 0f, false, null, false);

    /** TGI server rule ({@code NextTokenChooser}): sampling when do_sample or any warper is active. */
    public boolean isSampling() {
        return doSample || hasWarpers();
    }

    public boolean hasWarpers() {
        return temperature != 1f || topK != 0 || topP < 1f || typicalP < 1f;
    }

    /**
     * TGI's router checks, in its order, with its messages (without the "Input validation error: " prefix).
     *
     * @throws IllegalArgumentException on the first violated rule
     */
    public void validate() {
        if (!(temperature > 0f)) throw new IllegalArgumentException("`temperature` must be strictly positive");
        if (!(repetitionPenalty > 0f)) {
            throw new IllegalArgumentException("`repetition_penalty` must be strictly positive");
        }
        if (!(frequencyPenalty >= -2f && frequencyPenalty <= 2f)) {
            throw new IllegalArgumentException("`frequency_penalty` must be >= -2.0 and <= 2.0");
        }
        if (topP != 1f && !(topP > 0f && topP < 1f)) {
            throw new IllegalArgumentException("`top_p` must be > 0.0 and < 1.0");
        }
        if (typicalP != 1f && !(typicalP > 0f && typicalP < 1f)) {
            throw new IllegalArgumentException("`typical_p` must be > 0.0 and < 1.0");
        }
        if (topK < 0) throw new IllegalArgumentException("`top_k` must be strictly positive");
    }

    public SamplingParams withSeed(Long newSeed) {
        return new SamplingParams(temperature, topK, topP, typicalP, repetitionPenalty, frequencyPenalty,
                doSample, newSeed, watermark);
    }
}
