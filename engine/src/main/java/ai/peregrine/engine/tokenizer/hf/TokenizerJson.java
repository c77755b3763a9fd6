package ai.peregrine.engine.tokenizer.hf;

import static ai.peregrine.engine.tokenizer.hf.JsonFiles.field;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.isAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Peregrine reads of a tokenizer.json: the BPE model (vocabulary, merges, options), the added tokens, and the
 * pipeline parts that {@link PipelineFlavour} and {@link PostProcessor} interpret.
 */
record TokenizerJson(Map<String, Integer> vocab, List<String[]> merges, boolean byteFallback, String unkToken,
                     boolean ignoreMerges, List<AddedToken> addedTokens,
                     JsonNode normalizer, JsonNode preTokenizer, JsonNode postProcessor, JsonNode decoder) {

    /** An entry of {@code added_tokens}: matched in the raw text before the model runs. */
    record AddedToken(int id, String content, boolean special, boolean normalized) {}

    static TokenizerJson read(Path file) {
        JsonNode root = JsonFiles.readOptional(file).orElseThrow(() -> new HfFormatException(
                "no tokenizer.json in " + file.getParent() + " (Peregrine reads Hugging Face fast-tokenizer files; "
                        + "tokenizer.model or vocab.json alone are not supported)"));
        JsonNode model = field(root, "model");
        if (!model.isObject()) throw new HfFormatException(file + ": no \"model\" object");
        String type = field(model, "type").asText("BPE"); // old files leave out the type of a BPE model
        if (!type.equals("BPE")) {
            throw new HfFormatException(file + ": model type '" + type + "' is not supported; Peregrine reads BPE models "
                    + "(byte-level like GPT-2, Falcon, Llama 3 and Qwen2, or with byte fallback like Llama 2 and Mistral)");
        }
        if (!isAbsent(field(model, "dropout")) && field(model, "dropout").asDouble() != 0) {
            throw new HfFormatException(file + ": BPE dropout " + field(model, "dropout") + " is not supported (tokenization would be random)");
        }
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!isAbsent(field(model, affix)) && !field(model, affix).asText().isEmpty()) {
                throw new HfFormatException(file + ": BPE " + affix + " " + field(model, affix) + " is not supported");
            }
        }
        JsonNode unk = field(model, "unk_token");
        return new TokenizerJson(vocab(file, field(model, "vocab")), merges(file, field(model, "merges")),
                field(model, "byte_fallback").asBoolean(false), isAbsent(unk) ? null : unk.asText(),
                field(model, "ignore_merges").asBoolean(false), addedTokens(file, field(root, "added_tokens")),
                field(root, "normalizer"), field(root, "pre_tokenizer"), field(root, "post_processor"), field(root, "decoder"));
    }

    private static Map<String, Integer> vocab(Path file, JsonNode vocab) {
        if (!vocab.isObject() || vocab.isEmpty()) throw new HfFormatException(file + ": model.vocab is missing or empty");
        Map<String, Integer> out = LinkedHashMap.newLinkedHashMap(vocab.size());
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new HfFormatException(file + ": model.vocab id of " + JsonFiles.brief(JsonFiles.MAPPER.valueToTree(e.getKey())) + " is " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    /** Merges as pairs; both the old "left right" strings and the newer [left, right] arrays. */
    private static List<String[]> merges(Path file, JsonNode merges) {
        if (isAbsent(merges)) return List.of();
        if (!merges.isArray()) throw new HfFormatException(file + ": model.merges is not an array");
        List<String[]> out = new ArrayList<>(merges.size());
        for (JsonNode m : merges) {
            String[] pair;
            if (m.isTextual()) {
                pair = m.asText().split(" ", -1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                pair = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                pair = null;
            }
            if (pair == null || pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                throw new HfFormatException(file + ": merge #" + out.size() + " " + JsonFiles.brief(m) + " is not a pair of tokens");
            }
            out.add(pair);
        }
        return out;
    }

    private static List<AddedToken> addedTokens(Path file, JsonNode added) {
        if (isAbsent(added)) return List.of();
        List<AddedToken> out = new ArrayList<>();
        for (JsonNode t : added) {
            String content = field(t, "content").asText("");
            if (!field(t, "id").canConvertToInt() || content.isEmpty()) throw new HfFormatException(file + ": added token " + JsonFiles.brief(t) + " has no id or content");
            for (String option : List.of("lstrip", "rstrip", "single_word")) {
                if (field(t, option).asBoolean(false)) {
                    throw new HfFormatException(file + ": added token '" + content + "' has " + option + ", which is not supported");
                }
            }
            boolean special = field(t, "special").asBoolean(false);
            out.add(new AddedToken(field(t, "id").asInt(), content, special, field(t, "normalized").asBoolean(!special)));
        }
        return out;
    }
}
