package ai.peregrine.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Falcon-sized vocabulary (65,024 tokens, ~64k merges) must load in well under a second. */
class LargeVocabularyTest {
    private static final int SIZE = 65_024;

    @Test
    void falconSizedByteLevelVocabularyLoadsQuickly() {
        String[] tokens = new String[SIZE];
        int[] types = new int[SIZE];
        String[] merges = new String[SIZE - 256 - 1];
        for (int b = 0; b < 256; b++) tokens[b] = ByteUnicode.encode(new byte[] {(byte) b});
        // token i (>= 256) = token (i / 2) + a letter: every merge joins two existing tokens
        for (int i = 256; i < SIZE - 1; i++) {
            String left = tokens[i / 2 < 256 ? 'a' + i % 26 : i / 2], right = tokens['a' + (i * 7) % 26];
            tokens[i] = left + right;
            merges[i - 256] = left + " " + right;
        }
        tokens[SIZE - 1] = "<|endoftext|>";
        java.util.Arrays.fill(types, TokenType.NORMAL);
        types[SIZE - 1] = TokenType.CONTROL;
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.string("falcon"));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types));
        md.put("tokenizer.ggml.merges", GgufValue.strings(merges));
        md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(SIZE - 1));
        GgufMetadata metadata = new GgufMetadata(md);
        Tokenizers.fromGguf(metadata); // warm-up
        long start = System.nanoTime();
        Tokenizer t = Tokenizers.fromGguf(metadata);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("65,024-token vocabulary built in %d ms%n", ms);
        assertThat(t.vocabSize()).isEqualTo(SIZE);
        assertThat(t.decode(t.encode("hello world<|endoftext|>", false, true), false)).isEqualTo("hello world<|endoftext|>");
        assertThat(ms).isLessThan(1_000);
    }
}
