package ai.peregrine.engine.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a Hugging Face tokenizer (tokenizer.json, tokenizer_config.json, special_tokens_map.json) for a synthetic
 * vocabulary in the layout of a real model family, with merges learned by {@link BpeVocabulary} on its default corpus
 * (so common words merge whole). Deterministic: the same arguments give the same bytes. A model directory's
 * config.json should say {@code vocab_size = vocabSize}: the tokenizer holds at most that many tokens, and readers pad
 * the rest as they do for real checkpoints.
 */
public final class SyntheticHfTokenizer {
    /** The tokenizer.json layouts of the supported model families. */
    public enum Flavour {
        /** Falcon: byte-level BPE, Punctuation + ByteLevel + Digits + three-digit Split, the 12 Falcon specials first. */
        FALCON,
        /** GPT-2: byte-level BPE with the ByteLevel pre-tokenizer, {@code <|endoftext|>} last. */
        GPT2,
        /** Llama 3: byte-level BPE, regex Split, ignore_merges, specials after the vocabulary, BOS by template. */
        LLAMA3,
        /** Qwen 2: byte-level BPE, NFC, regex Split (single digits), ChatML specials. */
        QWEN2,
        /** Llama 2: BPE with byte fallback, Prepend("▁") + Replace normalizer, {@code <s>} by template. */
        LLAMA2,
        /** Mistral: BPE with byte fallback, Metaspace (prepend_scheme first) pre-tokenizer. */
        MISTRAL
    }

    /** What was written: the number of token ids used, and the ids of BOS and EOS (-1 for none). */
    public record Written(int tokens, int bosId, int eosId) {}

    public static final List<String> FALCON_SPECIALS = List.of(">>TITLE<<", ">>ABSTRACT<<", ">>INTRODUCTION<<", ">>SUMMARY<<",
            ">>COMMENT<<", ">>ANSWER<<", ">>QUESTION<<", ">>DOMAIN<<", ">>PREFIX<<", ">>SUFFIX<<", ">>MIDDLE<<", "<|endoftext|>");
    static final List<String> LLAMA3_SPECIALS = List.of("<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");
    static final List<String> QWEN2_SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    /** A non-special added token (always cut out of text, kept when decoding skips specials); not in Falcon's files. */
    public static final String USER_TOKEN = "<tool>";

    private static final String SPACE = "\u2581";
    private static final int MAX_MERGES = 1500;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SyntheticHfTokenizer() {}

    /** A Falcon-style tokenizer (what Falcon checkpoints ship). */
    public static Written writeFalcon(Path dir, int vocabSize) throws IOException {
        return write(dir, Flavour.FALCON, vocabSize);
    }

    public static Written write(Path dir, Flavour flavour, int vocabSize) throws IOException {
        Files.createDirectories(dir);
        Layout layout = switch (flavour) {
            case FALCON -> byteLevel(vocabSize, FALCON_SPECIALS, List.of(), true);
            case GPT2 -> byteLevel(vocabSize, List.of("<|endoftext|>"), List.of(USER_TOKEN), false);
            case LLAMA3 -> byteLevel(vocabSize, LLAMA3_SPECIALS, List.of(USER_TOKEN), false);
            case QWEN2 -> byteLevel(vocabSize, QWEN2_SPECIALS, List.of(USER_TOKEN), false);
            case LLAMA2, MISTRAL -> sentencePiece(vocabSize);
        };
        ObjectNode root = JSON.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        // real files of these families match every added token in the raw text ("normalized": false); GPT-2 users'
        // added tokens usually keep the library default for non-special ones, true
        layout.added.forEach((text, special) -> added.add(addedToken(layout.ids.get(text), text, special, flavour == Flavour.GPT2 && !special)));
        ObjectNode tokenizerConfig = JSON.objectNode();
        ObjectNode specialMap = JSON.objectNode();
        int bos = -1, eos;
        switch (flavour) {
            case FALCON -> {
                root.putNull("normalizer");
                ObjectNode seq = sequence(root.putObject("pre_tokenizer"), "pretokenizers");
                ((ArrayNode) seq.get("pretokenizers")).add(JSON.objectNode().put("type", "Punctuation").put("behavior", "Contiguous"))
                        .add(byteLevel(true)).add(JSON.objectNode().put("type", "Digits").put("individual_digits", false))
                        .add(split("[0-9][0-9][0-9]"));
                root.set("post_processor", byteLevel(true));
                root.set("decoder", byteLevel(true));
                eos = layout.ids.get("<|endoftext|>");
                tokenizerConfig.put("add_prefix_space", false).put("eos_token", "<|endoftext|>").put("model_max_length", 2048)
                        .put("tokenizer_class", "PreTrainedTokenizerFast");
                specialMap.set("additional_special_tokens", strings(FALCON_SPECIALS.subList(0, 11)));
                specialMap.put("eos_token", "<|endoftext|>");
            }
            case GPT2 -> {
                root.putNull("normalizer");
                root.set("pre_tokenizer", byteLevel(true));
                root.set("post_processor", byteLevel(true));
                root.set("decoder", byteLevel(true));
                bos = eos = layout.ids.get("<|endoftext|>");
                tokenizerConfig.put("bos_token", "<|endoftext|>").put("eos_token", "<|endoftext|>").put("unk_token", "<|endoftext|>")
                        .put("model_max_length", 1024).put("tokenizer_class", "GPT2Tokenizer");
                specialMap.put("bos_token", "<|endoftext|>").put("eos_token", "<|endoftext|>").put("unk_token", "<|endoftext|>");
            }
            case LLAMA3, QWEN2 -> {
                boolean llama = flavour == Flavour.LLAMA3;
                if (llama) root.putNull("normalizer");
                else root.putObject("normalizer").put("type", "NFC");
                ObjectNode seq = sequence(root.putObject("pre_tokenizer"), "pretokenizers");
                ((ArrayNode) seq.get("pretokenizers")).add(split(llama ? LLAMA3_REGEX : QWEN2_REGEX)).add(byteLevel(false));
                eos = layout.ids.get(llama ? "<|eot_id|>" : "<|im_end|>");
                if (llama) {
                    bos = layout.ids.get("<|begin_of_text|>");
                    ObjectNode post = sequence(root.putObject("post_processor"), "processors");
                    ((ArrayNode) post.get("processors")).add(byteLevel(false)).add(template("<|begin_of_text|>", bos));
                    tokenizerConfig.put("bos_token", "<|begin_of_text|>").put("eos_token", "<|eot_id|>")
                            .put("model_max_length", 131072).put("tokenizer_class", "PreTrainedTokenizerFast")
                            .put("chat_template", LLAMA3_CHAT_TEMPLATE);
                    specialMap.put("bos_token", "<|begin_of_text|>").put("eos_token", "<|eot_id|>");
                } else {
                    root.set("post_processor", byteLevel(false));
                    tokenizerConfig.put("add_prefix_space", false).putNull("bos_token").put("eos_token", "<|im_end|>")
                            .put("pad_token", "<|endoftext|>").put("model_max_length", 32768).put("tokenizer_class", "Qwen2Tokenizer")
                            .put("chat_template", CHATML_TEMPLATE);
                    specialMap.put("eos_token", "<|im_end|>").put("pad_token", "<|endoftext|>");
                }
                root.set("decoder", byteLevel(false));
            }
            case LLAMA2, MISTRAL -> {
                if (flavour == Flavour.LLAMA2) {
                    ObjectNode norm = sequence(root.putObject("normalizer"), "normalizers");
                    ((ArrayNode) norm.get("normalizers")).add(JSON.objectNode().put("type", "Prepend").put("prepend", SPACE)).add(replace(" ", SPACE));
                    root.putNull("pre_tokenizer");
                } else {
                    root.putNull("normalizer");
                    root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", SPACE).put("prepend_scheme", "first").put("split", false);
                }
                bos = layout.ids.get("<s>");
                eos = layout.ids.get("</s>");
                root.set("post_processor", template("<s>", bos));
                ObjectNode dec = sequence(root.putObject("decoder"), "decoders");
                ((ArrayNode) dec.get("decoders")).add(replace(SPACE, " ")).add(JSON.objectNode().put("type", "ByteFallback"))
                        .add(JSON.objectNode().put("type", "Fuse")).add(JSON.objectNode().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0));
                tokenizerConfig.put("add_bos_token", true).put("add_eos_token", false).put("bos_token", "<s>").put("eos_token", "</s>")
                        .put("unk_token", "<unk>").put("legacy", flavour == Flavour.LLAMA2).put("model_max_length", 4096)
                        .put("tokenizer_class", "LlamaTokenizerFast").put("chat_template", LLAMA2_CHAT_TEMPLATE);
                specialMap.put("bos_token", "<s>").put("eos_token", "</s>").put("unk_token", "<unk>");
            }
            default -> throw new AssertionError(flavour);
        }
        root.set("model", model(layout, flavour));
        MAPPER.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        MAPPER.writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
        MAPPER.writeValue(dir.resolve("special_tokens_map.json").toFile(), specialMap);
        return new Written(layout.size(), bos, eos);
    }

    static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3_CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + "
            + "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
    static final String CHATML_TEMPLATE = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] "
            + "+ '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    static final String LLAMA2_CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
            + "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}{% endif %}{% endfor %}";

    /** Token ids (model vocabulary and added tokens), merges, and which texts are added tokens (special or not). */
    private record Layout(Map<String, Integer> ids, Map<String, Integer> vocab, List<String[]> merges, Map<String, Boolean> added) {
        int size() {
            return ids.size();
        }
    }

    /** Falcon puts its specials first and in the model vocabulary; the others after the vocabulary, as added tokens only. */
    private static Layout byteLevel(int vocabSize, List<String> specials, List<String> userTokens, boolean specialsFirst) {
        int fixed = 256 + specials.size() + userTokens.size();
        if (vocabSize < fixed) throw new IllegalArgumentException("vocabulary size " + vocabSize + " is too small: at least " + fixed);
        BpeVocabulary.Learned learned = BpeVocabulary.trainByteLevel(BpeVocabulary.DEFAULT_CORPUS, Math.min(MAX_MERGES, vocabSize - fixed));
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Map<String, Boolean> added = new LinkedHashMap<>();
        if (specialsFirst) specials.forEach(s -> vocab.put(s, vocab.size()));
        learned.base().forEach(s -> vocab.put(s, vocab.size()));
        learned.mergedTokens().forEach(s -> vocab.put(s, vocab.size()));
        ids.putAll(vocab);
        if (!specialsFirst) specials.forEach(s -> ids.put(s, ids.size()));
        userTokens.forEach(s -> ids.put(s, ids.size()));
        specials.forEach(s -> added.put(s, true));
        userTokens.forEach(s -> added.put(s, false));
        List<String[]> merges = new ArrayList<>();
        for (String m : learned.merges()) merges.add(m.split(" "));
        return new Layout(ids, vocab, merges, added);
    }

    /**
     * Llama 2 / Mistral: {@code <unk> <s> </s>}, the 256 {@code <0xXX>} byte tokens, the corpus characters except tabs
     * and emoji (so they fall back to bytes), the merged pieces, then {@link #USER_TOKEN}.
     */
    private static Layout sentencePiece(int vocabSize) {
        List<String> specials = List.of("<unk>", "<s>", "</s>");
        BpeVocabulary.Learned probe = BpeVocabulary.trainSentencePiece(BpeVocabulary.DEFAULT_CORPUS, 0);
        List<String> chars = probe.base().stream().filter(c -> !c.equals("\t") && c.codePointAt(0) < 0x1F000).toList();
        int fixed = specials.size() + 256 + chars.size() + 1;
        if (vocabSize < fixed) throw new IllegalArgumentException("vocabulary size " + vocabSize + " is too small: at least " + fixed);
        BpeVocabulary.Learned learned = BpeVocabulary.trainSentencePiece(BpeVocabulary.DEFAULT_CORPUS, Math.min(MAX_MERGES, vocabSize - fixed));
        Map<String, Integer> vocab = new LinkedHashMap<>();
        specials.forEach(s -> vocab.put(s, vocab.size()));
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), vocab.size());
        chars.forEach(c -> vocab.putIfAbsent(c, vocab.size()));
        // a merge of a dropped character (or of a piece made from one) cannot exist: Hugging Face needs both parts
        Set<String> known = new LinkedHashSet<>(vocab.keySet());
        List<String[]> merges = new ArrayList<>();
        for (String m : learned.merges()) {
            String[] pair = m.split(" ");
            if (!known.contains(pair[0]) || !known.contains(pair[1])) continue;
            merges.add(pair);
            if (known.add(pair[0] + pair[1])) vocab.put(pair[0] + pair[1], vocab.size());
        }
        Map<String, Integer> ids = new LinkedHashMap<>(vocab);
        ids.put(USER_TOKEN, ids.size());
        Map<String, Boolean> added = new LinkedHashMap<>();
        specials.forEach(s -> added.put(s, true));
        added.put(USER_TOKEN, false);
        return new Layout(ids, vocab, merges, added);
    }

    private static ObjectNode model(Layout layout, Flavour flavour) {
        boolean spm = flavour == Flavour.LLAMA2 || flavour == Flavour.MISTRAL;
        ObjectNode model = JSON.objectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        if (spm) model.put("unk_token", "<unk>");
        else model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", spm);
        model.put("byte_fallback", spm);
        model.put("ignore_merges", flavour == Flavour.LLAMA3);
        ObjectNode vocab = model.putObject("vocab");
        layout.vocab.forEach(vocab::put);
        // both merge formats occur in the wild: "left right" strings (older files) and [left, right] pairs
        boolean pairs = flavour == Flavour.LLAMA3 || flavour == Flavour.QWEN2 || flavour == Flavour.MISTRAL;
        ArrayNode merges = model.putArray("merges");
        for (String[] m : layout.merges) {
            if (pairs) merges.addArray().add(m[0]).add(m[1]);
            else merges.add(m[0] + " " + m[1]);
        }
        return model;
    }

    private static ObjectNode addedToken(int id, String content, boolean special, boolean normalized) {
        return JSON.objectNode().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", normalized).put("special", special);
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        return JSON.objectNode().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", useRegex);
    }

    private static ObjectNode split(String regex) {
        ObjectNode split = JSON.objectNode().put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        return split.put("behavior", "Isolated").put("invert", false);
    }

    private static ObjectNode replace(String from, String to) {
        ObjectNode r = JSON.objectNode().put("type", "Replace");
        r.putObject("pattern").put("String", from);
        return r.put("content", to);
    }

    private static ObjectNode sequence(ObjectNode node, String listField) {
        node.put("type", "Sequence");
        node.putArray(listField);
        return node;
    }

    /** TemplateProcessing that puts {@code special} before each sequence. */
    private static ObjectNode template(String special, int id) {
        ObjectNode t = JSON.objectNode().put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", special).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = t.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", special).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", special).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode entry = t.putObject("special_tokens").putObject(special);
        entry.put("id", special);
        entry.putArray("ids").add(id);
        entry.putArray("tokens").add(special);
        return t;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = JSON.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
