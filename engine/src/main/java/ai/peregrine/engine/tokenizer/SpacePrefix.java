package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufFormatException;

/**
 * Which raw-text fragments (the text between special tokens) a SentencePiece-style tokenizer prefixes with U+2581
 * under Hugging Face semantics. llama.cpp prefixes every fragment when {@code add_space_prefix}, which is
 * {@link #ALWAYS}.
 */
public enum SpacePrefix {
    /** Every fragment: the {@code Prepend("▁")} normalizer of older Llama/Mistral tokenizer.json files. */
    ALWAYS("always"),
    /** Every fragment not already starting with a space: {@code Metaspace} with {@code prepend_scheme: always}. */
    IF_MISSING("if_missing"),
    /** Only a fragment at the start of the text, unless it starts with a space: {@code prepend_scheme: first}. */
    FIRST_IF_MISSING("first_if_missing"),
    NEVER("never");

    private final String key;

    SpacePrefix(String key) {
        this.key = key;
    }

    /** The value of {@link TokenizerKeys#SPACE_PREFIX}. */
    public String key() {
        return key;
    }

    public static SpacePrefix ofKey(String key) {
        for (SpacePrefix p : values()) if (p.key.equals(key)) return p;
        throw new GgufFormatException("unknown " + TokenizerKeys.SPACE_PREFIX + " '" + key + "'");
    }

    /** Whether a fragment gets the prefix; {@code text} already has spaces as U+2581. */
    boolean applies(String text, boolean startsText) {
        return switch (this) {
            case ALWAYS -> true;
            case IF_MISSING -> !text.startsWith(SentencePieceBpeTokenizer.SPACE);
            case FIRST_IF_MISSING -> startsText && !text.startsWith(SentencePieceBpeTokenizer.SPACE);
            case NEVER -> false;
        };
    }
}
