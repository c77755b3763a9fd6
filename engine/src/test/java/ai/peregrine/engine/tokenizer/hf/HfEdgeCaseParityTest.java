package ai.peregrine.engine.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.tokenizer.Tokenizer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviours the synthetic vocabularies do not reach, on hand-made tokenizer.json files, against Hugging Face. */
class HfEdgeCaseParityTest {
    @TempDir
    Path dir;

    /** "abc" is a token no merge makes: ignore_merges takes it whole, plain BPE cannot reach it. */
    @Test
    void ignoreMergesTakesAPieceThatIsAToken() throws IOException {
        for (boolean ignore : new boolean[] {true, false}) {
            ObjectNode json = HandMadeTokenizerJson.byteLevel(List.of("b c", "a b"), List.of("abc"));
            ((ObjectNode) json.get("model")).put("ignore_merges", ignore);
            HandMadeTokenizerJson.write(json, dir);
            Tokenizer ours = HfTokenizerFiles.load(dir);
            int bc = 256, abc = 258;
            assertThat(ours.encode("abc", false, true)).containsExactly(ignore ? new int[] {abc} : new int[] {'a', bc});
            assertEqualsHuggingFace(ours, List.of("abc", "abc abc", "xabc", "abcd"));
        }
    }

    /** "[A" starts first, "AB]" is longer: Hugging Face takes the leftmost, llama.cpp the longest. */
    @Test
    void addedTokensMatchLeftmostThenLongest() throws IOException {
        ObjectNode json = HandMadeTokenizerJson.byteLevel(List.of(), List.of());
        HandMadeTokenizerJson.addToken(json, "[A", true);
        HandMadeTokenizerJson.addToken(json, "AB]", true);
        HandMadeTokenizerJson.addToken(json, "[AB]x", false);
        HandMadeTokenizerJson.write(json, dir);
        Tokenizer ours = HfTokenizerFiles.load(dir);
        assertThat(ours.encode("[AB]", false, true)).containsExactly(256, 'B', ']');
        assertThat(ours.encode("[AB]x", false, true)).containsExactly(258);
        assertThat(ours.encode("[AB] [A", false, false)).containsExactly('[', 'A', 'B', ']', ' ', '[', 'A');
        assertEqualsHuggingFace(ours, List.of("[AB]", "z[AB]", "[AB]x", "[A[AB]]AB]", "[[AB]x]"));
    }

    /** Added-token texts go through the ByteLevel decoder too: "née" maps to bytes 6E E9 65, not to "née". */
    @Test
    void addedTokensDecodeThroughTheByteLevelDecoder() throws IOException {
        ObjectNode json = HandMadeTokenizerJson.byteLevel(List.of(), List.of());
        HandMadeTokenizerJson.addToken(json, "née", false);
        HandMadeTokenizerJson.addToken(json, "hello world", false);
        HandMadeTokenizerJson.addToken(json, "Ġspecialé", true);
        HandMadeTokenizerJson.write(json, dir);
        Tokenizer ours = HfTokenizerFiles.load(dir);
        assertThat(ours.encode("a née", false, true)).containsExactly('a', ' ', 256);
        assertEqualsHuggingFace(ours, List.of("a née b", "hello world", "xhello worldy", "Ġspecialé née", "née"));
    }

    private void assertEqualsHuggingFace(Tokenizer ours, List<String> texts) throws IOException {
        try (HuggingFaceOracle hf = HuggingFaceOracle.open(dir.resolve("tokenizer.json"))) {
            for (String text : texts) {
                assertThat(ours.encode(text, false, true)).as(text).containsExactly(hf.encode(text, false));
                int[] ids = hf.encode(text, false);
                assertThat(ours.decode(ids, false)).as(text).isEqualTo(hf.decode(ids, false));
                assertThat(ours.decode(ids, true)).as(text).isEqualTo(hf.decode(ids, true));
            }
        }
    }
}
