package ai.peregrine.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our token ids against llama.cpp's (golden files from tools/oracle/regen-tokenizer-goldens.sh). */
class TokenizerGoldenTest {
    static Stream<String> fixtures() {
        return TokenizerFixtures.NAMES.stream();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> golden(String name) throws IOException {
        try (InputStream in = TokenizerGoldenTest.class.getResourceAsStream("/golden/tokenizer/" + name + ".json")) {
            assertThat(in).as("golden file for " + name).isNotNull();
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fixtureGgufIsTheOneTheGoldensWereMadeFrom(String name) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TokenizerFixtures.gguf(name)));
        assertThat(sha).as("regenerate goldens with tools/oracle/regen-tokenizer-goldens.sh after changing fixtures")
                .isEqualTo(golden(name).get("gguf_sha256"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    @SuppressWarnings("unchecked")
    void idsMatchLlamaCpp(String name) throws IOException {
        Tokenizer tok = TokenizerFixtures.tokenizer(name);
        List<Map<String, Object>> cases = (List<Map<String, Object>>) golden(name).get("cases");
        assertThat(cases.stream().map(c -> c.get("text")).toList()).isEqualTo(GoldenCorpus.all());
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            assertThat(tok.encode(text, false, false)).as("%s plain %s", name, TestJson.quote(text)).containsExactly(ids(c.get("plain")));
            assertThat(tok.encode(text, false, true)).as("%s special %s", name, TestJson.quote(text)).containsExactly(ids(c.get("special")));
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void bosAndEosRulesMatchLlamaCpp(String name) throws IOException {
        Tokenizer tok = TokenizerFixtures.tokenizer(name);
        Map<String, Object> golden = golden(name);
        int[] ids = tok.encode("hi", true, false);
        assertThat(ids[0] == tok.bosId()).as("adds BOS").isEqualTo(golden.get("add_bos"));
        assertThat(ids[ids.length - 1] == tok.eosId()).as("adds EOS").isEqualTo(golden.get("add_eos"));
    }

    /**
     * llama.cpp's detokenize also "cleans up" spaces before punctuation for most byte-level vocabularies
     * (clean_spaces); we do not, so only the vocabularies where it is off are compared.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"qwen2", "spm"})
    @SuppressWarnings("unchecked")
    void decodeMatchesLlamaCppDetokenize(String name) throws IOException {
        Tokenizer tok = TokenizerFixtures.tokenizer(name);
        for (Map<String, Object> c : (List<Map<String, Object>>) golden(name).get("cases")) {
            assertThat(tok.decode(ids(c.get("plain")), true)).as("%s %s", name, TestJson.quote((String) c.get("text"))).isEqualTo(c.get("decoded"));
        }
    }

    private static int[] ids(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }
}
