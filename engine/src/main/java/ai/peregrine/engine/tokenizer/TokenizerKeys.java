package ai.peregrine.engine.tokenizer;

/**
 * GGUF metadata keys of a tokenizer: llama.cpp's ({@code tokenizer.ggml.*}, {@code tokenizer.chat_template}) and
 * Peregrine's own ({@code tokenizer.peregrine.*}), which say how to tokenize exactly as Hugging Face {@code tokenizers}
 * does where llama.cpp's keys cannot (llama.cpp ignores them).
 */
public final class TokenizerKeys {
    public static final String MODEL = "tokenizer.ggml.model";
    public static final String PRE = "tokenizer.ggml.pre";
    public static final String TOKENS = "tokenizer.ggml.tokens";
    public static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    public static final String SCORES = "tokenizer.ggml.scores";
    public static final String MERGES = "tokenizer.ggml.merges";
    public static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    public static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    public static final String UNKNOWN_ID = "tokenizer.ggml.unknown_token_id";
    public static final String PADDING_ID = "tokenizer.ggml.padding_token_id";
    public static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    public static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    public static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    public static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    public static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";
    public static final String CHAT_TEMPLATE = "tokenizer.chat_template";

    /** {@value #HUGGING_FACE}: tokenize as Hugging Face {@code tokenizers}, not as llama.cpp (see {@link Semantics}). */
    public static final String SEMANTICS = "tokenizer.peregrine.semantics";
    public static final String HUGGING_FACE = "huggingface";
    /** {@code nfc}: the text is NFC-normalized before pre-tokenization (tokenizer.json normalizer NFC). */
    public static final String NORMALIZER = "tokenizer.peregrine.normalizer";
    /** Byte-level BPE: a pre-tokenized piece that is itself a token is not merged (tokenizer.json ignore_merges). */
    public static final String IGNORE_MERGES = "tokenizer.peregrine.ignore_merges";
    /** SentencePiece-style: which text fragments get a U+2581 prefix; one of {@link SpacePrefix}'s key values. */
    public static final String SPACE_PREFIX = "tokenizer.peregrine.space_prefix";
    /** Further ids that end generation (generation_config.json eos_token_id). */
    public static final String EOG_IDS = "tokenizer.peregrine.eog_token_ids";

    private TokenizerKeys() {}
}
