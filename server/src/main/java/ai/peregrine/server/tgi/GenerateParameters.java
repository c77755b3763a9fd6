package ai.peregrine.server.tgi;

import ai.peregrine.server.http.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * TGI's {@code GenerateParameters} as the client sent them: null means "not given" (it matters: a given
 * {@code temperature} turns sampling on for the best_of rule, and a given {@code top_p} of 1.0 is invalid).
 */
public record GenerateParameters(
        Long bestOf,
        Float temperature,
        Float repetitionPenalty,
        Float frequencyPenalty,
        Integer topK,
        Float topP,
        Float typicalP,
        boolean doSample,
        Long maxNewTokens,
        Boolean returnFullText,
        List<String> stop,
        Long truncate,
        boolean watermark,
        boolean details,
        boolean decoderInputDetails,
        Long seed,
        Long topNTokens,
        JsonNode grammar,
        String adapterId) {

    public GenerateParameters {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** TGI HEAD's {@code default_parameters()}, used when the request has no {@code parameters} object. */
    public static GenerateParameters omitted() {
        return new GenerateParameters(null, null, null, null, null, null, null, true, null, null, List.of(), null,
                false, false, false, null, null, null, null);
    }

    /** Reads a {@code parameters} object strictly (wrong types are 422); unknown fields are ignored as in serde. */
    public static GenerateParameters parse(JsonNode p) {
        if (p == null || p.isNull()) return omitted();
        String at = "parameters.";
        if (!p.isObject()) throw ai.peregrine.server.http.ApiError.deserialization(
                "parameters: invalid type: " + JsonFields.describe(p) + ", expected struct GenerateParameters");
        return new GenerateParameters(
                JsonFields.optU32(p, "best_of", at),
                JsonFields.optFloat(p, "temperature", at),
                JsonFields.optFloat(p, "repetition_penalty", at),
                JsonFields.optFloat(p, "frequency_penalty", at),
                JsonFields.optI32(p, "top_k", at),
                JsonFields.optFloat(p, "top_p", at),
                JsonFields.optFloat(p, "typical_p", at),
                JsonFields.bool(p, "do_sample", at, false),
                JsonFields.optU32(p, "max_new_tokens", at),
                JsonFields.optBool(p, "return_full_text", at),
                JsonFields.optStrings(p, "stop", at, false),
                JsonFields.optU32(p, "truncate", at),
                JsonFields.bool(p, "watermark", at, false),
                JsonFields.bool(p, "details", at, false),
                JsonFields.bool(p, "decoder_input_details", at, false),
                JsonFields.optU64(p, "seed", at),
                JsonFields.optU32(p, "top_n_tokens", at),
                JsonFields.optObject(p, "grammar", at),
                JsonFields.optString(p, "adapter_id", at));
    }

    public GenerateParameters withReturnFullText(Boolean v) {
        return new GenerateParameters(bestOf, temperature, repetitionPenalty, frequencyPenalty, topK, topP, typicalP,
                doSample, maxNewTokens, v, stop, truncate, watermark, details, decoderInputDetails, seed, topNTokens,
                grammar, adapterId);
    }

    public GenerateParameters withSeed(Long v) {
        return new GenerateParameters(bestOf, temperature, repetitionPenalty, frequencyPenalty, topK, topP, typicalP,
                doSample, maxNewTokens, returnFullText, stop, truncate, watermark, details, decoderInputDetails, v,
                topNTokens, grammar, adapterId);
    }
}
