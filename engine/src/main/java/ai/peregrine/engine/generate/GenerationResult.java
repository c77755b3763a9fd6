package ai.peregrine.engine.generate;

import java.util.List;

/**
 * The outcome of one request, with everything TGI's {@code Details} reports.
 *
 * @param seed    the seed used when sampling (unsigned 64-bit carried in a long), null when greedy
 * @param prefill prompt tokens with logprobs; empty unless decoder_input_details was requested
 */
public record GenerationResult(
        String generatedText,
        FinishReason finishReason,
        int generatedTokens,
        Long seed,
        List<TokenInfo> prefill,
        List<TokenInfo> tokens,
        int promptTokens,
        Timings timings) {

    public GenerationResult {
        prefill = List.copyOf(prefill);
        tokens = List.copyOf(tokens);
    }

    /** Per-token top alternatives (TGI {@code top_tokens}), one list per generated token. */
    public List<List<TokenInfo>> topTokens() {
        return tokens.stream().map(TokenInfo::topTokens).toList();
    }
}
