package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufMetadata;

/** Builds the tokenizer a GGUF file describes. */
public final class Tokenizers {
    private static final String P = "tokenizer.ggml.";

    private Tokenizers() {}

    public static Tokenizer fromGguf(GgufMetadata md) {
        String model = md.has(P + "model") ? md.getString(P + "model") : "(missing)";
        return switch (model) {
            case "gpt2" -> {
                String pre = md.string(P + "pre").orElse("default");
                PreTokenizer.Kind kind = PreTokenizer.kindFor(pre);
                // llama.cpp: BPE adds no BOS unless the file says so, except llama-3 style vocabularies
                Vocabulary v = vocabulary(md, -1, -1, -1, kind == PreTokenizer.Kind.LLAMA3);
                yield new ByteLevelBpeTokenizer(v, md.getStrings(P + "merges"), new PreTokenizer(kind));
            }
            case "llama" -> new SentencePieceBpeTokenizer(vocabulary(md, 1, 2, 0, true), md.getBool(P + "add_space_prefix", true));
            default -> throw new GgufFormatException("unsupported tokenizer model '" + model + "' (" + P + "model); supported: gpt2, llama");
        };
    }

    private static Vocabulary vocabulary(GgufMetadata md, int defaultBos, int defaultEos, int defaultUnk, boolean defaultAddBos) {
        String[] tokens = md.getStrings(P + "tokens");
        int[] types = md.has(P + "token_type") ? md.getInts(P + "token_type").clone() : new int[tokens.length];
        if (!md.has(P + "token_type")) java.util.Arrays.fill(types, TokenType.NORMAL);
        float[] scores = md.has(P + "scores") ? md.getFloats(P + "scores") : null;
        if (types != null && types.length != tokens.length) throw new GgufFormatException(P + "token_type has " + types.length + " entries for " + tokens.length + " tokens");
        if (scores != null && scores.length != tokens.length) throw new GgufFormatException(P + "scores has " + scores.length + " entries for " + tokens.length + " tokens");
        int bos = id(md, "bos_token_id", defaultBos, tokens.length);
        int eos = id(md, "eos_token_id", defaultEos, tokens.length);
        int eot = id(md, "eot_token_id", -1, tokens.length);
        int eom = id(md, "eom_token_id", -1, tokens.length);
        java.util.BitSet eog = EndOfGeneration.mark(tokens, types, eos, eot, eom);
        return new Vocabulary(tokens, types, scores, Vocabulary.index(tokens),
                bos, eos,
                id(md, "unknown_token_id", defaultUnk, tokens.length),
                id(md, "padding_token_id", -1, tokens.length),
                eot, eom, eog,
                md.getBool(P + "add_bos_token", defaultAddBos) && bos >= 0,
                md.getBool(P + "add_eos_token", false) && eos >= 0);
    }

    private static int id(GgufMetadata md, String key, int fallback, int vocabSize) {
        long id = md.has(P + key) ? md.getLong(P + key) : fallback;
        // some converters write -1 or 0xFFFFFFFF for "none"
        return id >= 0 && id < vocabSize ? (int) id : -1;
    }
}
