package ai.peregrine.server.tgi;

import ai.peregrine.engine.generate.GenerationRequest;
import ai.peregrine.engine.sampling.SamplingParams;
import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.inference.ValidRequest;
import java.util.Arrays;

/**
 * TGI's router validation ({@code router/src/validation.rs}), rule by rule in its order, with its messages.
 * Errors are {@link ApiError#validation} (422, "Input validation error: ..." prefix).
 */
public final class RequestValidator {
    private final ServerConfig config;
    private final Tokenizer tokenizer;

    public RequestValidator(ServerConfig config, Tokenizer tokenizer) {
        this.config = config;
        this.tokenizer = tokenizer;
    }

    /** The best_of limits TGI checks before a best_of > 1 request is run ({@code validate_best_of}). */
    public int checkBestOf(long bestOf) {
        if (config.maxBestOf() == 1 && bestOf != 1) throw ApiError.validation("`best_of` != 1 is not allowed for this endpoint");
        if (bestOf > config.maxBestOf()) {
            throw ApiError.validation("`best_of` must be > 0 and <= " + config.maxBestOf() + ". Given: " + bestOf);
        }
        return (int) bestOf;
    }

    /** The two rules TGI's streaming route applies before anything else. */
    public static void checkStreamable(GenerateParameters p) {
        if (p.bestOf() != null && p.bestOf() != 1) {
            throw ApiError.validation("`best_of` != 1 is not supported when streaming tokens");
        }
        if (p.decoderInputDetails()) {
            throw ApiError.validation("`decoder_input_details` == true is not supported when streaming tokens");
        }
    }

    public ValidRequest validate(String inputs, GenerateParameters p, long receivedNanos) {
        long bestOf = p.bestOf() == null ? 1 : p.bestOf();
        boolean sampling = p.doSample() || p.temperature() != null || p.topK() != null || p.topP() != null
                || p.typicalP() != null;
        if (bestOf > 1 && !sampling) throw ApiError.validation("you must use sampling when `best_of` is > 1");

        float temperature = p.temperature() == null ? 1f : p.temperature();
        if (temperature <= 0f) throw ApiError.validation("`temperature` must be strictly positive");
        float repetition = p.repetitionPenalty() == null ? 1f : p.repetitionPenalty();
        if (repetition <= 0f) throw ApiError.validation("`repetition_penalty` must be strictly positive");
        float frequency = p.frequencyPenalty() == null ? 0f : p.frequencyPenalty();
        if (frequency < -2f || frequency > 2f) throw ApiError.validation("`frequency_penalty` must be >= -2.0 and <= 2.0");
        float topP = 1f;
        if (p.topP() != null) {
            if (p.topP() <= 0f || p.topP() >= 1f) throw ApiError.validation("`top_p` must be > 0.0 and < 1.0");
            topP = p.topP();
        }
        float typicalP = 1f;
        if (p.typicalP() != null) {
            if (p.typicalP() <= 0f || p.typicalP() >= 1f) throw ApiError.validation("`typical_p` must be > 0.0 and < 1.0");
            typicalP = p.typicalP();
        }
        int topK = 0;
        if (p.topK() != null) {
            if (p.topK() <= 0) throw ApiError.validation("`top_k` must be strictly positive");
            topK = p.topK();
        }
        if (p.maxNewTokens() != null && p.maxNewTokens() == 0) {
            throw ApiError.validation("`max_new_tokens` must be strictly positive");
        }
        if (p.stop().size() > config.maxStopSequences()) {
            throw ApiError.validation("`stop` supports up to " + config.maxStopSequences() + " stop sequences. Given: "
                    + p.stop().size());
        }
        if (p.seed() != null && bestOf > 1) throw ApiError.validation("`seed` must not be set when `best_of` > 1");
        int topN = 0;
        if (p.topNTokens() != null) {
            if (p.topNTokens() > config.maxTopNTokens()) {
                throw ApiError.validation("`top_n_tokens` must be >= 0 and <= " + config.maxTopNTokens() + ". Given: "
                        + p.topNTokens());
            }
            topN = p.topNTokens().intValue();
        }
        if (inputs.isEmpty()) throw ApiError.validation("`inputs` cannot be empty");
        int truncate = 0;
        if (p.truncate() != null) {
            if (p.truncate() == 0 || p.truncate() > config.maxInputTokens()) {
                throw ApiError.validation("`truncate` must be strictly positive and less than " + config.maxInputTokens()
                        + ". Given: " + p.truncate());
            }
            truncate = p.truncate().intValue();
        }

        int[] ids = tokenizer.encode(inputs, true, true);
        if (truncate > 0 && ids.length > truncate) ids = Arrays.copyOfRange(ids, ids.length - truncate, ids.length);
        int inputLength = ids.length;
        long maxNew = p.maxNewTokens() != null ? p.maxNewTokens() : Math.max(0, config.maxTotalTokens() - inputLength);
        if (inputLength + maxNew > config.maxTotalTokens()) {
            throw ApiError.validation("`inputs` tokens + `max_new_tokens` must be <= " + config.maxTotalTokens()
                    + ". Given: " + inputLength + " `inputs` tokens and " + maxNew + " `max_new_tokens`");
        }
        if (inputLength > config.maxInputTokens()) {
            throw ApiError.validation("`inputs` must have less than " + config.maxInputTokens() + " tokens. Given: "
                    + inputLength);
        }
        if (inputLength == 0) throw ApiError.validation("`inputs` cannot be empty");
        if (p.grammar() != null) throw ApiError.validation("grammar is not supported");

        SamplingParams samplingParams = new SamplingParams(temperature, topK, topP, typicalP, repetition, frequency,
                p.doSample(), p.seed(), p.watermark());
        GenerationRequest request = GenerationRequest.tokens(ids)
                .sampling(samplingParams)
                .maxNewTokens((int) maxNew)
                .stop(p.stop())
                .details(p.details() || p.decoderInputDetails())
                .decoderInputDetails(p.decoderInputDetails())
                .topNTokens(topN)
                .build();
        return new ValidRequest(request, ids, receivedNanos, System.nanoTime());
    }
}
