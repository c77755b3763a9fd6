package ai.peregrine.engine.generate;

import java.util.List;

/**
 * One token as TGI reports it ({@code Token}/{@code PrefillToken}): logprob is NaN for the first prefill token;
 * {@code topTokens} are the top_n_tokens alternatives at this step (empty when not requested or for prefill).
 */
public record TokenInfo(int id, String text, float logprob, boolean special, List<TokenInfo> topTokens) {
    public TokenInfo {
        topTokens = List.copyOf(topTokens);
    }

    public TokenInfo(int id, String text, float logprob, boolean special) {
        this(id, text, logprob, special, List.of());
    }
}
