package ai.peregrine.engine.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.tokenizer.Tokenizer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Llama 3-sized tokenizer.json (128,000 tokens and merges, 256 added specials) must load in a few seconds. */
class LargeTokenizerJsonTest {
    private static final int SIZE = 128_000;

    @TempDir
    Path dir;

    @Test
    void llama3SizedTokenizerJsonLoadsQuickly() {
        // token 256 + k is the bijective base-26 numeral of k + 26 in letters ("aa", "ab", ...): distinct, each the
        // merge of a shorter numeral (or a letter) and a letter
        String[] tokens = new String[SIZE];
        List<String> merges = new ArrayList<>();
        for (int i = 256; i < SIZE; i++) {
            int n = i - 256 + 26;
            String left = n / 26 - 1 < 26 ? String.valueOf((char) ('a' + n / 26 - 1)) : tokens[256 + n / 26 - 1 - 26];
            String right = String.valueOf((char) ('a' + n % 26));
            tokens[i] = left + right;
            merges.add(left + " " + right);
        }
        ObjectNode json = HandMadeTokenizerJson.byteLevel(List.of(), List.of());
        ObjectNode vocab = (ObjectNode) json.get("model").get("vocab");
        for (int i = 256; i < SIZE; i++) vocab.put(tokens[i], i);
        var mergeArray = ((ObjectNode) json.get("model")).putArray("merges");
        merges.forEach(mergeArray::add);
        for (int i = 0; i < 256; i++) HandMadeTokenizerJson.addToken(json, "<|reserved_special_token_" + i + "|>", true);
        HandMadeTokenizerJson.write(json, dir);

        HfTokenizerFiles.load(dir); // warm-up
        long start = System.nanoTime();
        Tokenizer t = HfTokenizerFiles.load(dir);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("128,256-token tokenizer.json loaded in %d ms%n", ms);
        assertThat(t.vocabSize()).isEqualTo(SIZE + 256);
        assertThat(t.decode(t.encode("hello world<|reserved_special_token_7|>", false, true), false)).isEqualTo("hello world<|reserved_special_token_7|>");
        assertThat(ms).isLessThan(5_000);
    }
}
