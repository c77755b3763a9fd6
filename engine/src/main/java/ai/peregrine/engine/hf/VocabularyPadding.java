package ai.peregrine.engine.hf;

import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.gguf.GgufValueType;
import ai.peregrine.engine.tokenizer.TokenType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embedding matrices are often padded past the tokenizer's last id (to a multiple of 64 or 128); llama.cpp wants one
 * token per row, so its converter adds {@code [PAD<id>]} tokens of type unused (score -1000). The same here.
 */
final class VocabularyPadding {
    private static final String TOKENS = "tokenizer.ggml.tokens", TYPES = "tokenizer.ggml.token_type", SCORES = "tokenizer.ggml.scores";

    private VocabularyPadding() {}

    static Map<String, GgufValue> pad(Map<String, GgufValue> tokenizer, int vocabSize, String source) {
        GgufValue tokensValue = tokenizer.get(TOKENS);
        if (tokensValue == null || !(tokensValue.value() instanceof GgufValue.GgufArray a) || !(a.values() instanceof String[] tokens)) {
            throw new CheckpointFormatException(source + ": the tokenizer has no token list");
        }
        if (tokens.length > vocabSize) {
            throw new CheckpointFormatException(source + ": the tokenizer has " + tokens.length + " tokens but the embeddings only "
                    + vocabSize + " rows (config.json vocab_size)");
        }
        if (tokens.length == vocabSize) return tokenizer;
        int n = tokens.length;
        Map<String, GgufValue> out = new LinkedHashMap<>(tokenizer);
        String[] padded = Arrays.copyOf(tokens, vocabSize);
        for (int i = n; i < vocabSize; i++) padded[i] = "[PAD" + i + "]";
        out.put(TOKENS, GgufValue.strings(padded));
        if (tokenizer.get(TYPES) != null && tokenizer.get(TYPES).value() instanceof GgufValue.GgufArray t) {
            int[] types = Arrays.copyOf(ints(t), vocabSize);
            Arrays.fill(types, n, vocabSize, TokenType.UNUSED);
            out.put(TYPES, GgufValue.i32s(types));
        }
        if (tokenizer.get(SCORES) != null && tokenizer.get(SCORES).value() instanceof GgufValue.GgufArray s
                && s.elementType() == GgufValueType.FLOAT32) {
            float[] scores = Arrays.copyOf((float[]) s.values(), vocabSize);
            Arrays.fill(scores, n, vocabSize, -1000f);
            out.put(SCORES, GgufValue.f32s(scores));
        }
        return out;
    }

    private static int[] ints(GgufValue.GgufArray a) {
        if (a.values() instanceof int[] i) return i;
        if (a.values() instanceof long[] l) return Arrays.stream(l).mapToInt(Math::toIntExact).toArray();
        throw new CheckpointFormatException("tokenizer.ggml.token_type is not an integer array");
    }
}
