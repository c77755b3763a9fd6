package ai.peregrine.engine.tokenizer;

import static ai.peregrine.engine.tokenizer.TokenizerKeys.*;

import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufMetadata;
import java.util.Arrays;
import java.util.BitSet;

/** Builds the tokenizer a GGUF file (or a translated Hugging Face tokenizer.json) describes. */
public final class Tokenizers {
    private Tokenizers() {}

    public static Tokenizer fromGguf(GgufMetadata md) {
        String model = md.has(MODEL) ? md.getString(MODEL) : "(missing)";
        Semantics semantics = Semantics.of(md);
        boolean hf = semantics.huggingFace();
        return switch (model) {
            case "gpt2" -> {
                PreTokenizer.Kind kind = PreTokenizer.kindFor(md.string(PRE).orElse("default"));
                // llama.cpp: BPE adds no BOS unless the file says so, except llama-3 style vocabularies
                Vocabulary v = vocabulary(md, semantics, -1, -1, -1, !hf && kind == PreTokenizer.Kind.LLAMA3);
                yield new ByteLevelBpeTokenizer(v, md.getStrings(MERGES), kind, semantics);
            }
            case "llama" -> {
                if (hf && !md.has(MERGES)) throw new GgufFormatException(MERGES + " is missing: Hugging Face semantics merge by rank");
                Vocabulary v = hf ? vocabulary(md, semantics, -1, -1, -1, false) : vocabulary(md, semantics, 1, 2, 0, true);
                yield new SentencePieceBpeTokenizer(v, semantics, hf ? md.getStrings(MERGES) : null);
            }
            default -> throw new GgufFormatException("unsupported tokenizer model '" + model + "' (" + MODEL + "); supported: gpt2, llama");
        };
    }

    private static Vocabulary vocabulary(GgufMetadata md, Semantics semantics, int defaultBos, int defaultEos, int defaultUnk, boolean defaultAddBos) {
        String[] tokens = md.getStrings(TOKENS);
        int[] types = md.has(TOKEN_TYPE) ? md.getInts(TOKEN_TYPE).clone() : new int[tokens.length];
        if (!md.has(TOKEN_TYPE)) Arrays.fill(types, TokenType.NORMAL);
        float[] scores = md.has(SCORES) ? md.getFloats(SCORES) : null;
        if (types.length != tokens.length) throw new GgufFormatException(TOKEN_TYPE + " has " + types.length + " entries for " + tokens.length + " tokens");
        if (scores != null && scores.length != tokens.length) throw new GgufFormatException(SCORES + " has " + scores.length + " entries for " + tokens.length + " tokens");
        int bos = id(md, BOS_ID, defaultBos, tokens.length);
        int eos = id(md, EOS_ID, defaultEos, tokens.length);
        int eot = id(md, EOT_ID, -1, tokens.length);
        int eom = id(md, EOM_ID, -1, tokens.length);
        BitSet eog;
        if (semantics.huggingFace()) { // no guesses from token texts, and the types stay as tokenizer.json says
            eog = new BitSet(tokens.length);
            for (int id : new int[] {eos, eot, eom}) if (id >= 0) eog.set(id);
        } else {
            eog = EndOfGeneration.mark(tokens, types, eos, eot, eom);
        }
        if (md.has(EOG_IDS)) {
            for (int id : md.getInts(EOG_IDS)) {
                if (id < 0 || id >= tokens.length) throw new GgufFormatException(EOG_IDS + " holds " + id + ", outside the " + tokens.length + "-token vocabulary");
                eog.set(id);
            }
        }
        return new Vocabulary(tokens, types, scores, Vocabulary.index(tokens),
                bos, eos,
                id(md, UNKNOWN_ID, defaultUnk, tokens.length),
                id(md, PADDING_ID, -1, tokens.length),
                eot, eom, eog,
                md.getBool(ADD_BOS, defaultAddBos) && bos >= 0,
                md.getBool(ADD_EOS, false) && eos >= 0);
    }

    private static int id(GgufMetadata md, String key, int fallback, int vocabSize) {
        long id = md.has(key) ? md.getLong(key) : fallback;
        // some converters write -1 or 0xFFFFFFFF for "none"
        return id >= 0 && id < vocabSize ? (int) id : -1;
    }
}
