package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.synthetic.BpeVocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deterministic test vocabularies (tokenizer.* metadata), trained on {@link BpeVocabulary#DEFAULT_CORPUS}. */
final class TokenizerFixtures {
    /** Names of the fixtures that have llama.cpp goldens. */
    static final List<String> NAMES = List.of("falcon", "gpt-2", "llama-bpe", "qwen2", "spm");

    private TokenizerFixtures() {}

    static Map<String, GgufValue> metadata(String name) {
        return name.equals("spm") ? sentencePiece() : byteLevel(name);
    }

    static Tokenizer tokenizer(String name) {
        return Tokenizers.fromGguf(new GgufMetadata(metadata(name)));
    }

    static byte[] gguf(String name) {
        Map<String, GgufValue> md = metadata(name);
        int vocab = new GgufMetadata(md).getStrings("tokenizer.ggml.tokens").length;
        return TinyLlamaGguf.write(md, vocab);
    }

    /** Byte-level BPE: 256 byte tokens, merged tokens, then &lt;|endoftext|&gt;, &lt;|im_start|&gt;, &lt;|im_end|&gt; (control) and &lt;tool&gt; (user-defined). */
    static Map<String, GgufValue> byteLevel(String pre) {
        BpeVocabulary.Learned learned = BpeVocabulary.trainByteLevel(BpeVocabulary.DEFAULT_CORPUS, 400);
        List<String> tokens = new ArrayList<>(learned.base());
        tokens.addAll(learned.mergedTokens());
        List<Integer> types = new ArrayList<>();
        tokens.forEach(t -> types.add(TokenType.NORMAL));
        int eot = tokens.size();
        for (String special : List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>")) {
            tokens.add(special);
            types.add(TokenType.CONTROL);
        }
        tokens.add("<tool>");
        types.add(TokenType.USER_DEFINED);
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.string(pre));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types.stream().mapToInt(Integer::intValue).toArray()));
        md.put("tokenizer.ggml.merges", GgufValue.strings(learned.merges().toArray(String[]::new)));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(eot));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(eot));
        md.put("tokenizer.ggml.eot_token_id", GgufValue.u32(eot + 2));
        return md;
    }

    /** SentencePiece BPE: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, 256 &lt;0xXX&gt; byte tokens, characters, merged pieces (score -rank), &lt;tool&gt;. */
    static Map<String, GgufValue> sentencePiece() {
        BpeVocabulary.Learned learned = BpeVocabulary.trainSentencePiece(BpeVocabulary.DEFAULT_CORPUS, 400);
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TokenType.BYTE);
            scores.add(0f);
        }
        // drop some rare characters so that byte fallback is exercised
        for (String c : learned.base()) {
            if (c.codePointAt(0) >= 0x1F000 || c.equals("\t")) continue;
            tokens.add(c);
            types.add(TokenType.NORMAL);
            scores.add(-1000f);
        }
        for (int rank = 0; rank < learned.mergedTokens().size(); rank++) {
            tokens.add(learned.mergedTokens().get(rank));
            types.add(TokenType.NORMAL);
            scores.add(-(float) rank);
        }
        tokens.add("<tool>");
        types.add(TokenType.USER_DEFINED);
        scores.add(0f);
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("llama"));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types.stream().mapToInt(Integer::intValue).toArray()));
        md.put("tokenizer.ggml.scores", GgufValue.f32s(s));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(1));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(2));
        md.put("tokenizer.ggml.unknown_token_id", GgufValue.u32(0));
        return md;
    }
}
