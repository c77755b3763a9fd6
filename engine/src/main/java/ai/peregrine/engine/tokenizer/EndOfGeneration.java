package ai.peregrine.engine.tokenizer;

import java.util.BitSet;
import java.util.Set;

/**
 * llama.cpp's workaround for files that do not name their end-of-turn tokens: tokens with these texts end generation,
 * and are treated as control tokens whatever their stored type (which changes how text containing them is split).
 */
final class EndOfGeneration {
    static final Set<String> TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
            "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
            "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[");

    private EndOfGeneration() {}

    /** Marks the listed tokens CONTROL in {@code types} (a copy the caller owns) and returns the set of EOG ids. */
    static BitSet mark(String[] tokens, int[] types, int... ids) {
        BitSet eog = new BitSet(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (TEXTS.contains(tokens[i])) {
                eog.set(i);
                types[i] = TokenType.CONTROL;
            }
        }
        for (int id : ids) if (id >= 0) eog.set(id);
        return eog;
    }
}
