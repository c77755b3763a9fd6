package ai.peregrine.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Byte-level BPE (GGUF {@code tokenizer.ggml.model = gpt2}), as llama.cpp's llm_tokenizer_bpe and Hugging Face's
 * ByteLevel + BPE: pre-tokenize, map each piece's bytes to GPT-2's printable codepoints, then merge by rank
 * ({@link MergeRanks}).
 */
final class ByteLevelBpeTokenizer extends AbstractTokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final PreTokenizer preTokenizer;
    private final MergeRanks merges;
    /** A piece that is itself a token is not merged (llama.cpp: llama-bpe vocabularies; Hugging Face: ignore_merges). */
    private final boolean ignoreMerges;
    private final Map<String, int[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > CACHE_LIMIT;
        }
    };

    ByteLevelBpeTokenizer(Vocabulary vocab, String[] merges, PreTokenizer.Kind kind, Semantics semantics) {
        super(vocab, semantics);
        this.preTokenizer = new PreTokenizer(kind, semantics.huggingFace());
        this.ignoreMerges = semantics.huggingFace() ? semantics.ignoreMerges() : kind == PreTokenizer.Kind.LLAMA3;
        this.merges = new MergeRanks(merges);
    }

    @Override
    protected byte[] normalTokenBytes(String token) {
        byte[] b = ByteUnicode.decode(token);
        return b != null ? b : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void encodeText(String text, boolean afterSpecial, boolean startsText, IntList out) {
        if (semantics.nfc()) text = Normalizer.normalize(text, Normalizer.Form.NFC);
        for (String piece : preTokenizer.split(text)) {
            String mapped = ByteUnicode.encode(piece.getBytes(StandardCharsets.UTF_8));
            if (preTokenizer.splitsMapped()) {
                for (String word : preTokenizer.splitMapped(mapped)) out.addAll(encodeWord(word));
            } else {
                out.addAll(encodeWord(mapped));
            }
        }
    }

    private int[] encodeWord(String word) {
        int[] ids;
        synchronized (cache) {
            ids = cache.get(word);
        }
        if (ids == null) {
            ids = encodeUncached(word);
            synchronized (cache) {
                cache.put(word, ids);
            }
        }
        return ids;
    }

    private int[] encodeUncached(String word) {
        IntList out = new IntList(8);
        if (ignoreMerges && vocab.id(word) >= 0) {
            out.add(vocab.id(word));
            return out.toArray();
        }
        for (String symbol : merges.merge(word)) {
            int id = vocab.id(symbol);
            if (id >= 0) {
                out.add(id);
            } else if (semantics.huggingFace()) {
                if (vocab.unk() >= 0) out.add(vocab.unk()); // without an unknown token Hugging Face drops the symbol
            } else {
                // llama.cpp looks each byte of the mapped text up as a one-byte token; only ASCII ones can exist
                for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                    int single = b >= 0 ? vocab.id(String.valueOf((char) b)) : -1;
                    if (single >= 0) out.add(single);
                }
            }
        }
        return out.toArray();
    }
}
