package ai.peregrine.engine.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.synthetic.SyntheticHfTokenizer;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer.Flavour;
import ai.peregrine.engine.tokenizer.TestJson;
import ai.peregrine.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our tokenizer built from a tokenizer.json against Hugging Face {@code tokenizers} itself, for every supported
 * flavour, over the golden corpus, Hugging Face-specific strings and fuzz: ids with and without special tokens added,
 * with special-token texts parsed or taken as text, and decoding (of our ids and of random id sequences).
 */
class HfTokenizerParityTest {
    private static final int VOCAB = 2048;
    private static final List<String> CORPUS = HfCorpus.all();

    @TempDir
    Path dir;

    private Tokenizer ours(Flavour flavour) throws IOException {
        SyntheticHfTokenizer.write(dir, flavour, VOCAB);
        return HfTokenizerFiles.load(dir);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void idsEqualHuggingFace(Flavour flavour) throws IOException {
        Tokenizer ours = ours(flavour);
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceOracle hf = HuggingFaceOracle.open(dir.resolve("tokenizer.json"))) {
            for (String text : CORPUS) {
                compare(mismatches, "special tokens parsed", text, ours.encode(text, false, true), hf.encode(text, false));
                compare(mismatches, "BOS/EOS added", text, ours.encode(text, true, true), hf.encode(text, true));
            }
        }
        assertThat(mismatches).as(flavour + ": " + mismatches.size() + " mismatches").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void specialTokenTextsAreTextWhenNotParsed(Flavour flavour) throws IOException {
        Tokenizer ours = ours(flavour);
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceOracle hf = HuggingFaceOracle.withoutSpecialTokens(dir.resolve("tokenizer.json"))) {
            for (String text : CORPUS) compare(mismatches, "special tokens as text", text, ours.encode(text, false, false), hf.encode(text, false));
        }
        assertThat(mismatches).as(flavour + ": " + mismatches.size() + " mismatches").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void decodingEqualsHuggingFace(Flavour flavour) throws IOException {
        Tokenizer ours = ours(flavour);
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceOracle hf = HuggingFaceOracle.open(dir.resolve("tokenizer.json"))) {
            for (String text : CORPUS) {
                int[] ids = hf.encode(text, true);
                for (boolean skip : new boolean[] {false, true}) {
                    String expected = hf.decode(ids, skip), actual = ours.decode(ids, skip);
                    if (!expected.equals(actual)) mismatches.add(describe("decode skip=" + skip, text, actual, expected));
                }
            }
        }
        assertThat(mismatches).as(flavour + ": " + mismatches.size() + " mismatches").isEmpty();
    }

    /** Arbitrary ids: broken UTF-8 from lone byte tokens, specials mid-text, leading spaces after specials. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void decodingOfRandomIdsEqualsHuggingFace(Flavour flavour) throws IOException {
        Tokenizer ours = ours(flavour);
        SplittableRandom random = new SplittableRandom(flavour.ordinal());
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceOracle hf = HuggingFaceOracle.open(dir.resolve("tokenizer.json"))) {
            for (int i = 0; i < 500; i++) {
                int[] ids = random.ints(1 + random.nextInt(12), 0, ours.vocabSize()).toArray();
                for (boolean skip : new boolean[] {false, true}) {
                    String expected = hf.decode(ids, skip), actual = ours.decode(ids, skip);
                    if (!expected.equals(actual)) mismatches.add(describe("decode skip=" + skip, Arrays.toString(ids), actual, expected));
                }
            }
        }
        assertThat(mismatches).as(flavour + ": " + mismatches.size() + " mismatches").isEmpty();
    }

    /** The streaming decoder gives what decode gives (Hugging Face's text) for the ids of real text. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void streamingDecodingEqualsDecoding(Flavour flavour) throws IOException {
        Tokenizer ours = ours(flavour);
        for (String text : CORPUS) {
            int[] ids = ours.encode(text, true, true);
            for (boolean skip : new boolean[] {false, true}) {
                Tokenizer.StreamingDecoder stream = ours.newStreamingDecoder(skip);
                StringBuilder sb = new StringBuilder();
                for (int id : ids) sb.append(stream.push(id));
                sb.append(stream.flush());
                assertThat(sb.toString()).as("%s skip=%s %s", flavour, skip, TestJson.quote(text)).isEqualTo(ours.decode(ids, skip));
            }
        }
    }

    private static void compare(List<String> mismatches, String what, String text, int[] actual, int[] expected) {
        if (!Arrays.equals(actual, expected)) mismatches.add(describe(what, TestJson.quote(text), Arrays.toString(actual), Arrays.toString(expected)));
    }

    private static String describe(String what, String input, String actual, String expected) {
        return what + " " + input + ":\n    ours " + actual + "\n    HF   " + expected;
    }
}
