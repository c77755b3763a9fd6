package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.tokenizer.TokenType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenizer.*} metadata of a byte-level BPE (GGUF {@code gpt2}) vocabulary of an exact size, for random models:
 * 256 byte tokens, merges learned by {@link BpeVocabulary} on its default corpus, the specials
 * {@code <|endoftext|>} (BOS and EOS), {@code <|im_start|>}, {@code <|im_end|>}, then unused filler tokens.
 */
public final class SyntheticTokenizer {
    public static final String[] SPECIALS = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    /** More merges than the default corpus supports only adds filler; this also bounds training time. */
    private static final int MAX_MERGES = 1500;

    private SyntheticTokenizer() {}

    /** {@code pre}: llama.cpp pre-tokenizer name ({@code gpt-2}, {@code falcon}, ...). */
    public static Map<String, GgufValue> byteLevel(int vocabSize, String pre) {
        int merges = Math.max(0, Math.min(MAX_MERGES, vocabSize - 256 - SPECIALS.length));
        BpeVocabulary.Learned learned = BpeVocabulary.trainByteLevel(BpeVocabulary.DEFAULT_CORPUS, merges);
        List<String> tokens = new ArrayList<>(learned.base());
        tokens.addAll(learned.mergedTokens());
        int[] types = new int[vocabSize];
        java.util.Arrays.fill(types, 0, tokens.size(), TokenType.NORMAL);
        int eos = tokens.size();
        for (String s : SPECIALS) {
            types[tokens.size()] = TokenType.CONTROL;
            tokens.add(s);
        }
        if (tokens.size() > vocabSize) throw new IllegalArgumentException("vocabulary size " + vocabSize + " is too small");
        for (int i = 0; tokens.size() < vocabSize; i++) {
            types[tokens.size()] = TokenType.UNUSED;
            tokens.add("<|unused_" + i + "|>");
        }
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.string(pre));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types));
        md.put("tokenizer.ggml.merges", GgufValue.strings(learned.merges().toArray(String[]::new)));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(eos));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(eos));
        md.put("tokenizer.ggml.add_bos_token", GgufValue.bool(false));
        return md;
    }

    /** The pre-tokenizer llama.cpp uses for each architecture's real checkpoints. */
    public static Map<String, GgufValue> forSpec(RandomModelSpec spec) {
        return byteLevel(spec.vocabSize(), spec.architecture() == ai.peregrine.engine.model.Architecture.FALCON ? "falcon" : "gpt-2");
    }
}
