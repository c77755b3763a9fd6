package ai.peregrine.engine.tokenizer.hf;

import static ai.peregrine.engine.tokenizer.TokenizerKeys.*;

import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.tokenizer.ByteUnicode;
import ai.peregrine.engine.tokenizer.SpacePrefix;
import ai.peregrine.engine.tokenizer.TokenType;
import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.engine.tokenizer.Tokenizers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face model directory's tokenizer (tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 * generation_config.json, config.json's vocab_size) as GGUF tokenizer metadata: the keys llama.cpp's
 * convert_hf_to_gguf.py writes, plus Peregrine's {@code tokenizer.peregrine.*} keys with which
 * {@link Tokenizers#fromGguf} tokenizes exactly as Hugging Face {@code tokenizers} does (llama.cpp ignores them).
 * <p>Differences from convert_hf_to_gguf.py: token types follow the added tokens' {@code special} flag only (CONTROL
 * or USER_DEFINED); SentencePiece-style scores are derived from the merge ranks (the script writes -1000 for every
 * token when there is no tokenizer.model, which leaves llama.cpp merging left to right); Llama tokenizer classes take
 * add_bos/add_eos from tokenizer_config.json, as transformers and TGI do, others from the post-processor.
 */
public final class HfTokenizerFiles {
    private static final float UNMERGED_SCORE = -1e9f;

    private HfTokenizerFiles() {}

    public static Tokenizer load(Path modelDir) {
        return Tokenizers.fromGguf(toGgufMetadata(modelDir));
    }

    public static GgufMetadata toGgufMetadata(Path modelDir) {
        TokenizerJson json = TokenizerJson.read(modelDir.resolve("tokenizer.json"));
        PipelineFlavour flavour = PipelineFlavour.of(json);
        TokenizerSettings settings = TokenizerSettings.read(modelDir);
        boolean spm = flavour.ggmlModel().equals("llama");

        // tokens and types; ids no file names become unused padding, as convert_hf_to_gguf.py does
        int size = 0;
        for (int id : json.vocab().values()) size = Math.max(size, id + 1);
        for (TokenizerJson.AddedToken t : json.addedTokens()) size = Math.max(size, t.id() + 1);
        int tokenizerSize = size;
        size = settings.vocabSize().map(v -> {
            if (v < tokenizerSize) throw new HfFormatException(modelDir.resolve("config.json") + ": vocab_size " + v + " is smaller than the tokenizer's " + tokenizerSize + " ids");
            return v;
        }).orElse(size);
        String[] tokens = new String[size];
        int[] types = new int[size];
        json.vocab().forEach((text, id) -> {
            if (tokens[id] != null) throw new HfFormatException("tokenizer.json: model.vocab gives id " + id + " to both '" + tokens[id] + "' and '" + text + "'");
            tokens[id] = text;
            types[id] = spm && isByteToken(text) ? TokenType.BYTE : TokenType.NORMAL;
        });
        Map<String, Integer> added = new HashMap<>();
        for (TokenizerJson.AddedToken t : json.addedTokens()) {
            if (tokens[t.id()] != null && !tokens[t.id()].equals(t.content())) {
                throw new HfFormatException("tokenizer.json: added token '" + t.content() + "' has id " + t.id() + ", which model.vocab gives to '" + tokens[t.id()] + "'");
            }
            if (added.putIfAbsent(t.content(), t.id()) != null) throw new HfFormatException("tokenizer.json: added token '" + t.content() + "' is listed twice");
            if (t.normalized() && !JsonFiles.isAbsent(json.normalizer())) {
                throw new HfFormatException("tokenizer.json: added token '" + t.content() + "' is matched in normalized text (\"normalized\": true), "
                        + "which Peregrine supports only without a normalizer");
            }
            tokens[t.id()] = t.content();
            types[t.id()] = t.special() ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        Map<String, Integer> ids = lookup(json, added);
        for (int id = 0; id < size; id++) {
            if (tokens[id] == null) {
                tokens[id] = "[PAD" + id + "]";
                types[id] = TokenType.UNUSED;
            }
        }
        checkBaseSymbols(json, spm);
        String[] merges = merges(json);
        // the model's unknown token (what its BPE emits), else the one tokenizer_config.json names
        int unk = Optional.ofNullable(json.unkToken()).or(() -> settings.tokenText("unk")).map(t -> id(ids, t, "unk_token")).orElse(-1);
        if (unk >= 0 && types[unk] == TokenType.CONTROL) types[unk] = TokenType.UNKNOWN;

        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put(MODEL, GgufValue.string(flavour.ggmlModel()));
        if (flavour.pre() != null) md.put(PRE, GgufValue.string(flavour.pre()));
        md.put(TOKENS, GgufValue.strings(tokens));
        if (spm) md.put(SCORES, GgufValue.f32s(scores(tokens, types, json.merges())));
        md.put(TOKEN_TYPE, GgufValue.i32s(types));
        md.put(MERGES, GgufValue.strings(merges));

        SpecialIds special = specialIds(json, settings, ids, size);
        putId(md, BOS_ID, special.bos);
        putId(md, EOS_ID, special.eos);
        putId(md, UNKNOWN_ID, unk);
        putId(md, PADDING_ID, settings.tokenText("pad").map(t -> id(ids, t, "pad_token")).or(() -> settings.modelTokenId("pad")).orElse(-1));
        md.put(ADD_BOS, GgufValue.bool(special.addBos));
        md.put(ADD_EOS, GgufValue.bool(special.addEos));
        if (spm) md.put(ADD_SPACE_PREFIX, GgufValue.bool(flavour.spacePrefix() != SpacePrefix.NEVER));
        Map<String, String> templates = settings.chatTemplates();
        templates.forEach((name, template) -> md.put(name.equals("default") ? CHAT_TEMPLATE : CHAT_TEMPLATE + "." + name, GgufValue.string(template)));
        List<String> named = templates.keySet().stream().filter(n -> !n.equals("default")).toList();
        if (!named.isEmpty()) md.put("tokenizer.chat_templates", GgufValue.strings(named.toArray(String[]::new)));

        md.put(SEMANTICS, GgufValue.string(HUGGING_FACE));
        if (flavour.nfc()) md.put(NORMALIZER, GgufValue.string("nfc"));
        if (json.ignoreMerges()) md.put(IGNORE_MERGES, GgufValue.bool(true));
        if (spm) md.put(SPACE_PREFIX, GgufValue.string(flavour.spacePrefix().key()));
        List<Integer> eog = settings.generationEosIds();
        for (int id : eog) checkRange(id, size, "generation_config.json eos_token_id");
        if (!eog.isEmpty()) md.put(EOG_IDS, GgufValue.i32s(eog.stream().mapToInt(Integer::intValue).toArray()));
        return new GgufMetadata(md);
    }

    private record SpecialIds(int bos, int eos, boolean addBos, boolean addEos) {}

    /**
     * BOS/EOS and whether encoding adds them. transformers' (and TGI's) Llama tokenizers rebuild the post-processor from
     * tokenizer_config.json's add_bos_token (default true) and add_eos_token (default false); other tokenizers use
     * tokenizer.json's post-processor as it is.
     */
    private static SpecialIds specialIds(TokenizerJson json, TokenizerSettings settings, Map<String, Integer> ids, int size) {
        int bos = settings.tokenText("bos").map(t -> id(ids, t, "bos_token")).or(() -> settings.modelTokenId("bos")).orElse(-1);
        int eos = settings.tokenText("eos").map(t -> id(ids, t, "eos_token")).or(() -> settings.modelTokenId("eos")).orElse(-1);
        checkRange(bos, size, "bos token id");
        checkRange(eos, size, "eos token id");
        if (settings.tokenizerClass().equals("LlamaTokenizer") || settings.tokenizerClass().equals("LlamaTokenizerFast")) {
            boolean addBos = settings.addToken("bos").orElse(true), addEos = settings.addToken("eos").orElse(false);
            if ((addBos && bos < 0) || (addEos && eos < 0)) {
                throw new HfFormatException("tokenizer_config.json: add_" + (addBos && bos < 0 ? "bos" : "eos") + "_token is set but there is no such token");
            }
            return new SpecialIds(bos, eos, addBos, addEos);
        }
        PostProcessor post = PostProcessor.of(json.postProcessor());
        if (post.suffixId() >= 0 && post.suffixId() != eos) {
            throw new HfFormatException("tokenizer.json: the post-processor appends id " + post.suffixId() + ", which is not the eos token (" + eos + "); unsupported");
        }
        return new SpecialIds(post.prefixId() >= 0 ? post.prefixId() : bos, eos, post.prefixId() >= 0, post.suffixId() >= 0);
    }

    /** Token text to id: added tokens first, then the model's vocabulary. */
    private static Map<String, Integer> lookup(TokenizerJson json, Map<String, Integer> added) {
        Map<String, Integer> ids = new HashMap<>(json.vocab());
        ids.putAll(added);
        return ids;
    }

    private static int id(Map<String, Integer> ids, String text, String what) {
        Integer id = ids.get(text);
        if (id == null) throw new HfFormatException(what + " '" + text + "' is not in tokenizer.json's vocabulary");
        return id;
    }

    private static void checkRange(int id, int size, String what) {
        if (id >= size) throw new HfFormatException(what + " " + id + " is outside the " + size + "-token vocabulary");
    }

    private static void putId(Map<String, GgufValue> md, String key, int id) {
        if (id >= 0) md.put(key, GgufValue.u32(id));
    }

    /** Byte-level: all 256 byte symbols; byte fallback: all 256 {@code <0xXX>} tokens (so no character is unknown). */
    private static void checkBaseSymbols(TokenizerJson json, boolean spm) {
        for (int b = 0; b < 256; b++) {
            String symbol = spm ? String.format("<0x%02X>", b) : ByteUnicode.encode(new byte[] {(byte) b});
            if (!json.vocab().containsKey(symbol)) {
                throw new HfFormatException("tokenizer.json: model.vocab lacks the byte token '" + symbol + "' (byte 0x" + String.format("%02X", b)
                        + "); Peregrine needs all 256 in a " + (spm ? "byte-fallback" : "byte-level") + " vocabulary");
            }
        }
    }

    /** Merges as GGUF's "left right" strings; every part and result must be a token, as Hugging Face requires. */
    private static String[] merges(TokenizerJson json) {
        String[] out = new String[json.merges().size()];
        for (int i = 0; i < out.length; i++) {
            String[] m = json.merges().get(i);
            for (String part : new String[] {m[0], m[1], m[0] + m[1]}) {
                if (!json.vocab().containsKey(part)) throw new HfFormatException("tokenizer.json: merge #" + i + " '" + m[0] + " " + m[1] + "' uses '" + part + "', which is not in model.vocab");
            }
            if (m[0].contains(" ") || m[1].contains(" ")) throw new HfFormatException("tokenizer.json: merge #" + i + " has a space inside a token, which GGUF merges cannot hold");
            out[i] = m[0] + " " + m[1];
        }
        return out;
    }

    /**
     * SentencePiece scores for llama.cpp, which merges the adjacent pair whose concatenation has the best score: a
     * token made by merge rank r scores -r, so llama.cpp follows the merge order; other multi-character tokens score
     * lowest; characters, bytes and specials 0.
     */
    private static float[] scores(String[] tokens, int[] types, List<String[]> merges) {
        Map<String, Integer> firstRank = new HashMap<>();
        for (int r = 0; r < merges.size(); r++) firstRank.putIfAbsent(merges.get(r)[0] + merges.get(r)[1], r);
        float[] scores = new float[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] != TokenType.NORMAL) continue;
            Integer rank = firstRank.get(tokens[id]);
            if (rank != null) scores[id] = -rank;
            else if (tokens[id].codePointCount(0, tokens[id].length()) > 1) scores[id] = UNMERGED_SCORE;
        }
        return scores;
    }

    private static boolean isByteToken(String text) {
        return text.length() == 6 && text.startsWith("<0x") && text.endsWith(">") && HEX.indexOf(text.charAt(3)) >= 0 && HEX.indexOf(text.charAt(4)) >= 0;
    }

    private static final String HEX = "0123456789ABCDEF";
}
