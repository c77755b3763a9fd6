package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufMetadata;

/**
 * Whose tokenization rules a vocabulary follows. GGUF files from llama.cpp's converter get llama.cpp's; vocabularies
 * translated from a Hugging Face tokenizer.json carry {@link TokenizerKeys#SEMANTICS} and get those of Hugging Face
 * {@code tokenizers}, which differ in:
 * <ul>
 * <li>special tokens: cut out of the text leftmost-longest first (llama.cpp: longest text first); only tokens typed
 *     CONTROL or UNKNOWN are special (llama.cpp also counts BOS/EOS by id); no end-of-generation guesses from token
 *     texts;</li>
 * <li>byte-level BPE: Falcon's Digits step runs on the byte-mapped text; {@code ignore_merges} comes from its key; a
 *     symbol that is no token becomes the unknown token or is dropped;</li>
 * <li>SentencePiece-style BPE: merges by rank from {@code tokenizer.ggml.merges} (llama.cpp: by score), byte
 *     fallback, consecutive unknowns fused, the U+2581 prefix per {@link SpacePrefix};</li>
 * <li>decoding: added tokens pass through the decoder like the others, SentencePiece's leading-space strip applies to
 *     the whole text (also when it starts with BOS), and an invalid run of byte tokens becomes one U+FFFD per byte.</li>
 * </ul>
 */
record Semantics(boolean huggingFace, boolean nfc, boolean ignoreMerges, SpacePrefix spacePrefix) {
    static Semantics of(GgufMetadata md) {
        boolean hf = md.string(TokenizerKeys.SEMANTICS).map(TokenizerKeys.HUGGING_FACE::equals).orElse(false);
        if (!hf) return new Semantics(false, false, false, md.getBool(TokenizerKeys.ADD_SPACE_PREFIX, true) ? SpacePrefix.ALWAYS : SpacePrefix.NEVER);
        String normalizer = md.string(TokenizerKeys.NORMALIZER).orElse("none");
        if (!normalizer.equals("none") && !normalizer.equals("nfc")) {
            throw new ai.peregrine.engine.gguf.GgufFormatException("unsupported " + TokenizerKeys.NORMALIZER + " '" + normalizer + "'");
        }
        SpacePrefix prefix = md.string(TokenizerKeys.SPACE_PREFIX).map(SpacePrefix::ofKey)
                .orElse(md.getBool(TokenizerKeys.ADD_SPACE_PREFIX, true) ? SpacePrefix.ALWAYS : SpacePrefix.NEVER);
        return new Semantics(true, normalizer.equals("nfc"), md.getBool(TokenizerKeys.IGNORE_MERGES, false), prefix);
    }
}
