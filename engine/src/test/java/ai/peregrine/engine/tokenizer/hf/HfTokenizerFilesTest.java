package ai.peregrine.engine.tokenizer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufWriter;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer.Flavour;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer.Written;
import ai.peregrine.engine.tokenizer.TokenType;
import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.engine.tokenizer.TokenizerKeys;
import ai.peregrine.engine.tokenizer.Tokenizers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The translation of a model directory's tokenizer files to GGUF metadata, the side files, and clear errors. */
class HfTokenizerFilesTest {
    private static final int VOCAB = 1024;

    @TempDir
    Path dir;

    @Test
    void falconBecomesLlamaCppsFalconVocabulary() throws IOException {
        Written w = SyntheticHfTokenizer.writeFalcon(dir, VOCAB);
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        assertThat(md.getString(TokenizerKeys.MODEL)).isEqualTo("gpt2");
        assertThat(md.getString(TokenizerKeys.PRE)).isEqualTo("falcon");
        String[] tokens = md.getStrings(TokenizerKeys.TOKENS);
        assertThat(tokens).hasSize(w.tokens()).hasSizeLessThanOrEqualTo(VOCAB);
        assertThat(Arrays.asList(tokens).subList(0, 12)).isEqualTo(SyntheticHfTokenizer.FALCON_SPECIALS);
        assertThat(Arrays.stream(md.getInts(TokenizerKeys.TOKEN_TYPE), 0, 12)).allMatch(t -> t == TokenType.CONTROL);
        assertThat(md.getInts(TokenizerKeys.TOKEN_TYPE)[12]).isEqualTo(TokenType.NORMAL);
        assertThat(md.getStrings(TokenizerKeys.MERGES)).isNotEmpty().allMatch(m -> m.split(" ").length == 2);
        assertThat(md.getLong(TokenizerKeys.EOS_ID)).isEqualTo(11).isEqualTo(w.eosId());
        assertThat(md.has(TokenizerKeys.BOS_ID)).as("Falcon's tokenizer files name no BOS").isFalse();
        assertThat(md.getBool(TokenizerKeys.ADD_BOS, true)).isFalse();
        assertThat(md.getBool(TokenizerKeys.ADD_EOS, true)).isFalse();
        assertThat(md.has(TokenizerKeys.CHAT_TEMPLATE)).isFalse();
        assertThat(md.getString(TokenizerKeys.SEMANTICS)).isEqualTo(TokenizerKeys.HUGGING_FACE);

        Tokenizer t = Tokenizers.fromGguf(md);
        assertThat(t.eosId()).isEqualTo(11);
        assertThat(t.isEndOfGeneration(11)).isTrue();
        assertThat(t.encode("Hello world", true, true)).doesNotContain(11);
        assertThat(t.decode(t.encode(">>QUESTION<<Why?", false, true), true)).isEqualTo("Why?");
    }

    @Test
    void llamaTokenizersTakeAddBosAndAddEosFromTokenizerConfig() throws IOException {
        Written w = SyntheticHfTokenizer.write(dir, Flavour.LLAMA2, VOCAB);
        Tokenizer t = HfTokenizerFiles.load(dir);
        assertThat(t.bosId()).isEqualTo(1).isEqualTo(w.bosId());
        assertThat(t.eosId()).isEqualTo(2).isEqualTo(w.eosId());
        int[] ids = t.encode("Hello world", true, true);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(ids[ids.length - 1]).isNotEqualTo(2);
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        assertThat(md.getString(TokenizerKeys.MODEL)).isEqualTo("llama");
        assertThat(md.getInts(TokenizerKeys.TOKEN_TYPE)[0]).isEqualTo(TokenType.UNKNOWN);
        assertThat(md.getInts(TokenizerKeys.TOKEN_TYPE)[3]).isEqualTo(TokenType.BYTE);
        assertThat(md.getLong(TokenizerKeys.UNKNOWN_ID)).isZero();
        assertThat(md.getBool(TokenizerKeys.ADD_SPACE_PREFIX, false)).isTrue();
        assertThat(md.getString(TokenizerKeys.CHAT_TEMPLATE)).contains("[INST]");
        // scores follow the merge ranks, so llama.cpp's score-driven merging follows the merge order
        float[] scores = md.getFloats(TokenizerKeys.SCORES);
        String[] merges = md.getStrings(TokenizerKeys.MERGES);
        List<String> tokens = Arrays.asList(md.getStrings(TokenizerKeys.TOKENS));
        assertThat(scores[tokens.indexOf(merges[0].replace(" ", ""))]).isEqualTo(0f);
        assertThat(scores[tokens.indexOf(merges[5].replace(" ", ""))]).isEqualTo(-5f);

        // transformers and TGI rebuild a Llama tokenizer's post-processor from these two flags
        HandMadeTokenizerJson.edit(dir, "tokenizer_config.json", c -> c.put("add_bos_token", false).put("add_eos_token", true));
        t = HfTokenizerFiles.load(dir);
        ids = t.encode("Hello world", true, true);
        assertThat(ids[0]).isNotEqualTo(1);
        assertThat(ids[ids.length - 1]).isEqualTo(2);
    }

    @Test
    void otherTokenizersAddWhatTheirPostProcessorAdds() throws IOException {
        Written w = SyntheticHfTokenizer.write(dir, Flavour.LLAMA3, VOCAB);
        Tokenizer t = HfTokenizerFiles.load(dir);
        assertThat(t.encode("Hi", true, true)[0]).isEqualTo(w.bosId());
        assertThat(t.encode("Hi", false, true)[0]).isNotEqualTo(w.bosId());
        assertThat(t.tokenString(w.bosId())).isEqualTo("<|begin_of_text|>");
        assertThat(t.tokenString(w.eosId())).isEqualTo("<|eot_id|>");
        // tokenizer_config.json's add_bos_token does not change a non-Llama tokenizer (as in transformers and TGI)
        HandMadeTokenizerJson.edit(dir, "tokenizer_config.json", c -> c.put("add_bos_token", false));
        assertThat(HfTokenizerFiles.load(dir).encode("Hi", true, true)[0]).isEqualTo(w.bosId());
    }

    @Test
    void generationConfigEosIdsEndGeneration() throws IOException {
        Written w = SyntheticHfTokenizer.write(dir, Flavour.LLAMA3, VOCAB);
        Tokenizer before = HfTokenizerFiles.load(dir);
        int endOfText = before.encode("<|end_of_text|>", false, true)[0];
        int header = before.encode("<|start_header_id|>", false, true)[0];
        assertThat(before.isEndOfGeneration(w.eosId())).isTrue();
        assertThat(before.isEndOfGeneration(endOfText)).isFalse();

        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": " + w.bosId() + ", \"eos_token_id\": [" + endOfText + ", " + w.eosId() + "]}");
        Tokenizer list = HfTokenizerFiles.load(dir);
        assertThat(list.isEndOfGeneration(endOfText)).isTrue();
        assertThat(list.isEndOfGeneration(w.eosId())).isTrue();
        assertThat(list.isEndOfGeneration(header)).isFalse();
        assertThat(HfTokenizerFiles.toGgufMetadata(dir).getInts(TokenizerKeys.EOG_IDS)).containsExactly(endOfText, w.eosId());

        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": " + endOfText + "}");
        assertThat(HfTokenizerFiles.load(dir).isEndOfGeneration(endOfText)).isTrue();

        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": " + VOCAB * 10 + "}");
        assertThatThrownBy(() -> HfTokenizerFiles.load(dir)).isInstanceOf(HfFormatException.class)
                .hasMessageContaining("generation_config.json eos_token_id " + VOCAB * 10).hasMessageContaining("outside");
    }

    @Test
    void specialTokensFallBackToSpecialTokensMapAndConfigJson() throws IOException {
        SyntheticHfTokenizer.writeFalcon(dir, VOCAB);
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 11, \"eos_token_id\": 11, \"vocab_size\": " + VOCAB + "}");
        HandMadeTokenizerJson.edit(dir, "tokenizer_config.json", c -> c.remove("eos_token"));
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        assertThat(md.getLong(TokenizerKeys.BOS_ID)).isEqualTo(11); // config.json
        assertThat(md.getLong(TokenizerKeys.EOS_ID)).isEqualTo(11); // special_tokens_map.json
        HandMadeTokenizerJson.edit(dir, "special_tokens_map.json", c -> c.put("eos_token", ">>ANSWER<<"));
        assertThat(HfTokenizerFiles.toGgufMetadata(dir).getLong(TokenizerKeys.EOS_ID)).isEqualTo(5);
    }

    @Test
    void configVocabSizePadsTheVocabularyWithUnusedTokens() throws IOException {
        Written w = SyntheticHfTokenizer.write(dir, Flavour.QWEN2, VOCAB);
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": " + (w.tokens() + 64) + "}");
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        int last = w.tokens() + 63;
        assertThat(md.getStrings(TokenizerKeys.TOKENS)).hasSize(w.tokens() + 64);
        assertThat(md.getStrings(TokenizerKeys.TOKENS)[last]).isEqualTo("[PAD" + last + "]");
        assertThat(md.getInts(TokenizerKeys.TOKEN_TYPE)[last]).isEqualTo(TokenType.UNUSED);
        Tokenizer t = Tokenizers.fromGguf(md);
        assertThat(t.vocabSize()).isEqualTo(w.tokens() + 64);
        assertThat(t.decode(new int[] {'a', last, 'b'}, false)).isEqualTo("ab");
        assertThat(t.encode("[PAD" + last + "]", false, true)).doesNotContain(last);

        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": " + (w.tokens() - 1) + "}");
        assertThatThrownBy(() -> HfTokenizerFiles.load(dir)).isInstanceOf(HfFormatException.class)
                .hasMessageContaining("vocab_size " + (w.tokens() - 1) + " is smaller than the tokenizer's " + w.tokens());
    }

    @Test
    void chatTemplatesComeFromTokenizerConfigOrTheJinjaFile() throws IOException {
        SyntheticHfTokenizer.write(dir, Flavour.QWEN2, VOCAB);
        assertThat(HfTokenizerFiles.toGgufMetadata(dir).getString(TokenizerKeys.CHAT_TEMPLATE)).startsWith("{% for message in messages %}");
        HandMadeTokenizerJson.edit(dir, "tokenizer_config.json", c -> {
            var list = c.putArray("chat_template");
            list.addObject().put("name", "default").put("template", "{{ 'plain' }}");
            list.addObject().put("name", "tool_use").put("template", "{{ 'tools' }}");
        });
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        assertThat(md.getString(TokenizerKeys.CHAT_TEMPLATE)).isEqualTo("{{ 'plain' }}");
        assertThat(md.getString(TokenizerKeys.CHAT_TEMPLATE + ".tool_use")).isEqualTo("{{ 'tools' }}");
        assertThat(md.getStrings("tokenizer.chat_templates")).containsExactly("tool_use");

        HandMadeTokenizerJson.edit(dir, "tokenizer_config.json", c -> c.remove("chat_template"));
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ 'from the file' }}");
        assertThat(HfTokenizerFiles.toGgufMetadata(dir).getString(TokenizerKeys.CHAT_TEMPLATE)).isEqualTo("{{ 'from the file' }}");
    }

    /** What the converter writes into a GGUF file is all it takes: read back, it tokenizes the same. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void metadataWrittenToAGgufFileTokenizesTheSame(Flavour flavour) throws IOException {
        SyntheticHfTokenizer.write(dir, flavour, VOCAB);
        GgufMetadata md = HfTokenizerFiles.toGgufMetadata(dir);
        GgufWriter writer = new GgufWriter();
        md.entries().forEach(writer::put);
        Path file = dir.resolve("tokenizer.gguf");
        writer.write(file);
        Tokenizer direct = Tokenizers.fromGguf(md);
        try (GgufFile gguf = GgufFile.open(file)) {
            Tokenizer fromFile = Tokenizers.fromGguf(gguf.metadata());
            for (String text : HfCorpus.all().subList(0, 120)) {
                assertThat(fromFile.encode(text, true, true)).as(text).containsExactly(direct.encode(text, true, true));
                assertThat(fromFile.encode(text, false, false)).as(text).containsExactly(direct.encode(text, false, false));
            }
        }
    }

    @Test
    void aDirectoryWithoutTokenizerJsonIsRejected() {
        assertThatThrownBy(() -> HfTokenizerFiles.load(dir)).isInstanceOf(HfFormatException.class)
                .hasMessageContaining("no tokenizer.json in " + dir);
    }

    @Test
    void invalidJsonIsRejectedNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
        assertThatThrownBy(() -> HfTokenizerFiles.load(dir)).isInstanceOf(HfFormatException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining("invalid JSON");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"WordPiece", "Unigram", "WordLevel"})
    void otherModelTypesAreRejected(String type) throws IOException {
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.get("model")).put("type", type), "model type '" + type + "' is not supported");
    }

    @Test
    void unsupportedPipelinesAreRejectedNamingThePart() throws IOException {
        rejected(Flavour.GPT2, "tokenizer.json", j -> j.putObject("pre_tokenizer").put("type", "Whitespace"), "unsupported pre_tokenizer {\"type\":\"Whitespace\"}");
        rejected(Flavour.GPT2, "tokenizer.json", j -> j.putObject("normalizer").put("type", "Lowercase"), "unsupported normalizer {\"type\":\"Lowercase\"}");
        rejected(Flavour.GPT2, "tokenizer.json", j -> j.putObject("decoder").put("type", "WordPiece"), "unsupported decoder {\"type\":\"WordPiece\"}");
        rejected(Flavour.LLAMA3, "tokenizer.json", j -> ((ObjectNode) j.get("pre_tokenizer").get("pretokenizers").get(0).get("pattern")).put("Regex", "\\w+"),
                "unsupported pre_tokenizer");
        rejected(Flavour.MISTRAL, "tokenizer.json", j -> ((ObjectNode) j.get("pre_tokenizer")).put("split", true), "splits the text into words");
        rejected(Flavour.LLAMA2, "tokenizer.json", j -> j.withArray("/decoder/decoders").remove(3), "unsupported decoder");
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.get("model")).put("dropout", 0.1), "dropout 0.1 is not supported");
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.get("model")).put("continuing_subword_prefix", "##"), "continuing_subword_prefix");
        rejected(Flavour.GPT2, "tokenizer.json", j -> j.putObject("post_processor").put("type", "BertProcessing"), "unsupported post_processor");
    }

    @Test
    void brokenVocabulariesAndAddedTokenOptionsAreRejected() throws IOException {
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.withArray("added_tokens").get(0)).put("lstrip", true), "'<|endoftext|>' has lstrip, which is not supported");
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.withArray("added_tokens").get(0)).put("single_word", true), "has single_word");
        rejected(Flavour.QWEN2, "tokenizer.json", j -> ((ObjectNode) j.withArray("added_tokens").get(3)).put("normalized", true),
                "'<tool>' is matched in normalized text");
        rejected(Flavour.GPT2, "tokenizer.json", j -> j.withArray("/model/merges").insert(0, "qq zz"), "merge #0 'qq zz' uses 'qq', which is not in model.vocab");
        rejected(Flavour.GPT2, "tokenizer.json", j -> ((ObjectNode) j.get("model").get("vocab")).remove("Ā"), "lacks the byte token 'Ā' (byte 0x00)");
        rejected(Flavour.LLAMA2, "tokenizer.json", j -> ((ObjectNode) j.get("model").get("vocab")).remove("<0x0A>"), "lacks the byte token '<0x0A>'");
        rejected(Flavour.GPT2, "tokenizer_config.json", c -> c.put("eos_token", "</nope>"), "eos_token '</nope>' is not in tokenizer.json's vocabulary");
    }

    private void rejected(Flavour flavour, String file, java.util.function.Consumer<ObjectNode> edit, String message) throws IOException {
        SyntheticHfTokenizer.write(dir, flavour, VOCAB);
        HandMadeTokenizerJson.edit(dir, file, edit);
        assertThatThrownBy(() -> HfTokenizerFiles.load(dir)).isInstanceOf(HfFormatException.class).hasMessageContaining(message);
    }
}
