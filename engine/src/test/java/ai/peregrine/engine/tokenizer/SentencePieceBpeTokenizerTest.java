package ai.peregrine.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentencePieceBpeTokenizerTest {
    private static final int BYTES = 3; // <0x00> is id 3

    /** &lt;unk&gt; &lt;s&gt; &lt;/s&gt;, 256 byte tokens, then {@code pieces} with their scores. */
    static Tokenizer build(Map<String, Float> pieces, boolean addSpacePrefix) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(TokenType.BYTE);
            scores.add(0f);
        }
        pieces.forEach((p, s) -> {
            tokens.add(p);
            types.add(TokenType.NORMAL);
            scores.add(s);
        });
        float[] sc = new float[scores.size()];
        for (int i = 0; i < sc.length; i++) sc[i] = scores.get(i);
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("llama"));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.toArray(String[]::new)));
        md.put("tokenizer.ggml.token_type", GgufValue.i32s(types.stream().mapToInt(Integer::intValue).toArray()));
        md.put("tokenizer.ggml.scores", GgufValue.f32s(sc));
        if (!addSpacePrefix) md.put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false));
        return Tokenizers.fromGguf(new GgufMetadata(md));
    }

    private static Map<String, Float> pieces(Object... pairs) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], ((Number) pairs[i + 1]).floatValue());
        return m;
    }

    private static final int FIRST = BYTES + 256;

    @Test
    void mergesByHighestScoreWithSpacePrefixAndBos() {
        // ids: ▁=259 h=260 i=261 ▁h=262 hi=263 ▁hi=264
        Tokenizer t = build(pieces("▁", -10, "h", -10, "i", -10, "▁h", -5, "hi", -1, "▁hi", -2), true);
        // "hi" (score -1) merges first, then "▁hi"
        assertThat(t.encode("hi", true, false)).containsExactly(1, FIRST + 5);
        assertThat(t.encode("hi", false, false)).containsExactly(FIRST + 5);
        assertThat(t.decode(new int[] {1, FIRST + 5}, true)).isEqualTo("hi");
        assertThat(t.decode(new int[] {FIRST + 5}, false)).isEqualTo("hi");
        assertThat(t.decode(new int[] {FIRST + 5, FIRST + 5}, false)).isEqualTo("hi hi");
        assertThat(t.bosId()).isEqualTo(1);
        assertThat(t.eosId()).isEqualTo(2);
        assertThat(t.isEndOfGeneration(2)).isTrue();
    }

    @Test
    void unknownCharactersBecomeByteTokens() {
        Tokenizer t = build(pieces("▁", -1), true);
        assertThat(t.encode("é", false, false)).containsExactly(FIRST, BYTES + 0xC3, BYTES + 0xA9);
        assertThat(t.decode(new int[] {FIRST, BYTES + 0xC3, BYTES + 0xA9}, false)).isEqualTo("é");
        assertThat(t.tokenBytes(BYTES + 0x41)).containsExactly(0x41);
    }

    @Test
    void textAfterASpecialTokenGetsASpacePrefixToo() {
        Tokenizer t = build(pieces("▁", -1, "a", -1, "▁a", 0), true);
        assertThat(t.encode("a</s>a", false, true)).containsExactly(FIRST + 2, 2, FIRST + 2);
        assertThat(t.encode("a</s>a", false, false)).startsWith(FIRST + 2).doesNotContain(2);
    }

    @Test
    void spacePrefixCanBeTurnedOff() {
        Tokenizer t = build(pieces("▁", -1, "a", -1, "▁a", 0), false);
        assertThat(t.encode("a a", false, false)).containsExactly(FIRST + 1, FIRST + 2);
        assertThat(t.decode(new int[] {FIRST + 1, FIRST + 2}, false)).isEqualTo("a a");
    }
}
