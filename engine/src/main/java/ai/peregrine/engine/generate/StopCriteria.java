package ai.peregrine.engine.generate;

import ai.peregrine.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * TGI's {@code StoppingCriteria} for one sequence: the token counter reaching max_new_tokens is checked first
 * ({@code length}), then end-of-generation ids ({@code eos_token}), then stop strings matched at the end of the
 * recent output text ({@code stop_sequence}). A stop string is not removed from the output, as in TGI.
 */
public final class StopCriteria {
    private static final int TGI_TAIL_CHARS = 300;

    private final int maxNewTokens;
    private final Tokenizer tokenizer;
    private final List<String> stops;
    private final int tailChars;
    private final StringBuilder tail = new StringBuilder();
    private int generated;

    public StopCriteria(int maxNewTokens, Tokenizer tokenizer, List<String> stopSequences) {
        this.maxNewTokens = maxNewTokens;
        this.tokenizer = tokenizer;
        this.stops = stopSequences.stream().filter(s -> !s.isEmpty()).toList();
        this.tailChars = Math.max(TGI_TAIL_CHARS, stops.stream().mapToInt(String::length).max().orElse(0));
    }

    /**
     * Accounts for one generated token and its text (decoded with special tokens, as TGI matches stops).
     *
     * @return why to stop now, or null to continue
     */
    public FinishReason onToken(int id, String text) {
        generated++;
        if (generated >= maxNewTokens) return FinishReason.LENGTH;
        if (tokenizer.isEndOfGeneration(id)) return FinishReason.EOS_TOKEN;
        if (stops.isEmpty()) return null;
        tail.append(text);
        if (tail.length() > tailChars) tail.delete(0, tail.length() - tailChars);
        for (String stop : stops) {
            if (endsWith(tail, stop)) return FinishReason.STOP_SEQUENCE;
        }
        return null;
    }

    public int generated() {
        return generated;
    }

    private static boolean endsWith(StringBuilder sb, String suffix) {
        int start = sb.length() - suffix.length();
        if (start < 0) return false;
        for (int i = 0; i < suffix.length(); i++) if (sb.charAt(start + i) != suffix.charAt(i)) return false;
        return true;
    }
}
