package ai.peregrine.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ByteLevelBpeTokenizerTest {
    /** 256 byte tokens (id = byte), then the merged tokens of {@code merges} in order, then specials. */
    static Map<String, GgufValue> handMade(String pre, List<String> merges, Map<String, Integer> specials) {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(ByteUnicode.encode(new byte[] {(byte) b}));
            types.add(TokenType.NORMAL);
        }
        for (String m : merges) {
            tokens.add(m.replace(" ", ""));
            types.add(TokenType.NORMAL);
        }
        specials.forEach((text, type) -> {
            tokens.add(text);
            types.add(type);
        });
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.string(pre));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types.stream().mapToInt(Integer::intValue).toArray()));
        md.put("tokenizer.ggml.merges", GgufValue.strings(merges.toArray(String[]::new)));
        if (specials.containsValue(TokenType.CONTROL)) {
            md.put("tokenizer.ggml.bos_token_id", GgufValue.u32(256 + merges.size()));
            md.put("tokenizer.ggml.eos_token_id", GgufValue.u32(256 + merges.size()));
        }
        return md;
    }

    static Tokenizer build(Map<String, GgufValue> md) {
        return Tokenizers.fromGguf(new GgufMetadata(md));
    }

    @Test
    void mergesApplyByRankNotByPosition() {
        // "abc": rank 0 is "b c", so "a b" (rank 1) can no longer apply; then "a bc" (rank 2)
        Tokenizer t = build(handMade("gpt-2", List.of("b c", "a b", "a bc"), Map.of()));
        assertThat(t.encode("abc", false, false)).containsExactly(258);
        assertThat(t.encode("ab", false, false)).containsExactly(257);
        assertThat(t.encode("abd", false, false)).containsExactly(257, 'd');
    }

    @Test
    void leftmostPairWinsOnEqualRank() {
        Tokenizer t = build(handMade("gpt-2", List.of("a a"), Map.of()));
        assertThat(t.encode("aaa", false, false)).containsExactly(256, 'a');
    }

    @Test
    void unmergedTextFallsBackToByteTokens() {
        Tokenizer t = build(handMade("gpt-2", List.of(), Map.of()));
        assertThat(t.encode("é", false, false)).containsExactly(0xC3, 0xA9);
        assertThat(t.decode(new int[] {0xC3, 0xA9}, false)).isEqualTo("é");
        assertThat(t.tokenString(' ')).isEqualTo("Ġ");
        assertThat(t.tokenBytes(' ')).containsExactly(' ');
    }

    @Test
    void specialsAreParsedOnlyWhenAsked() {
        Tokenizer t = build(handMade("gpt-2", List.of(), Map.of("<|endoftext|>", TokenType.CONTROL)));
        int eot = 256;
        assertThat(t.encode("a<|endoftext|>b", false, true)).containsExactly('a', eot, 'b');
        assertThat(t.encode("a<|endoftext|>b", false, false)).hasSize(15).doesNotContain(eot);
        assertThat(t.isSpecial(eot)).isTrue();
        assertThat(t.isEndOfGeneration(eot)).isTrue();
        assertThat(t.decode(new int[] {'a', eot, 'b'}, true)).isEqualTo("ab");
        assertThat(t.decode(new int[] {'a', eot, 'b'}, false)).isEqualTo("a<|endoftext|>b");
    }

    @Test
    void userDefinedTokensAreAlwaysSplitOut() {
        Tokenizer t = build(handMade("gpt-2", List.of(), Map.of("<tool>", TokenType.USER_DEFINED)));
        assertThat(t.encode("x<tool>", false, false)).containsExactly('x', 256);
        assertThat(t.isSpecial(256)).isFalse();
    }

    @Test
    void wellKnownEndOfTurnTextsEndGenerationAndActAsControlTokens() {
        // llama.cpp overrides the stored type of such tokens to CONTROL
        Tokenizer t = build(handMade("gpt-2", List.of(), Map.of("<|im_end|>", TokenType.USER_DEFINED)));
        assertThat(t.isEndOfGeneration(256)).isTrue();
        assertThat(t.isSpecial(256)).isTrue();
        assertThat(t.encode("<|im_end|>", false, false)).hasSize(10);
        assertThat(t.encode("<|im_end|>", false, true)).containsExactly(256);
        assertThat(t.isEndOfGeneration('a')).isFalse();
    }

    @Test
    void byteLevelBpeAddsBosOnlyWhenTheFileSaysSo() {
        Map<String, GgufValue> md = handMade("gpt-2", List.of(), Map.of("<|endoftext|>", TokenType.CONTROL));
        assertThat(build(md).encode("a", true, false)).containsExactly('a');
        md.put("tokenizer.ggml.add_bos_token", GgufValue.bool(true));
        assertThat(build(md).encode("a", true, false)).containsExactly(256, 'a');
        assertThat(build(md).encode("a", false, false)).containsExactly('a');
        md.put("tokenizer.ggml.add_eos_token", GgufValue.bool(true));
        assertThat(build(md).encode("a", true, false)).containsExactly(256, 'a', 256);
    }

    @Test
    void falconSplitsDigitRunsInThrees() {
        Tokenizer t = build(handMade("falcon", List.of("1 2", "12 3", "4 5", "45 6"), Map.of()));
        // pieces "123", "456", "7": no merge may cross a piece
        assertThat(t.encode("1234567", false, false)).containsExactly(257, 259, '7');
    }

    @Test
    void unknownModelsAndPreTokenizersAreRejectedByName() {
        Map<String, GgufValue> md = handMade("gpt-2", List.of(), Map.of());
        md.put("tokenizer.ggml.model", GgufValue.string("bert"));
        assertThatThrownBy(() -> build(md)).isInstanceOf(GgufFormatException.class).hasMessageContaining("bert");
        Map<String, GgufValue> md2 = handMade("no-such-pre", List.of(), Map.of());
        assertThatThrownBy(() -> build(md2)).isInstanceOf(GgufFormatException.class).hasMessageContaining("no-such-pre");
    }
}
