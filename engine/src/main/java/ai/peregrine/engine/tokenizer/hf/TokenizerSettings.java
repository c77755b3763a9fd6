package ai.peregrine.engine.tokenizer.hf;

import static ai.peregrine.engine.tokenizer.hf.JsonFiles.brief;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.field;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.isAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the files beside tokenizer.json say about tokenization: tokenizer_config.json (special tokens, add_bos/add_eos,
 * tokenizer class, chat template), special_tokens_map.json, config.json (vocab_size, special ids), generation_config.json
 * (end-of-generation ids), chat_template.jinja / chat_template.json. Every file is optional.
 */
final class TokenizerSettings {
    private final Path dir;
    private final JsonNode tokenizerConfig, specialTokensMap, config, generationConfig;

    private TokenizerSettings(Path dir) {
        this.dir = dir;
        this.tokenizerConfig = read(dir, "tokenizer_config.json");
        this.specialTokensMap = read(dir, "special_tokens_map.json");
        this.config = read(dir, "config.json");
        this.generationConfig = read(dir, "generation_config.json");
    }

    static TokenizerSettings read(Path dir) {
        return new TokenizerSettings(dir);
    }

    private static JsonNode read(Path dir, String name) {
        return JsonFiles.readOptional(dir.resolve(name)).orElse(MissingNode.getInstance());
    }

    /** The text of a special token ({@code bos}, {@code eos}, {@code unk}, {@code pad}): tokenizer_config.json, then special_tokens_map.json. */
    Optional<String> tokenText(String kind) {
        for (JsonNode file : List.of(tokenizerConfig, specialTokensMap)) {
            JsonNode v = field(file, kind + "_token");
            if (v.isTextual()) return Optional.of(v.asText());
            if (field(v, "content").isTextual()) return Optional.of(field(v, "content").asText());
        }
        return Optional.empty();
    }

    /** A special token id from config.json, then generation_config.json (the first of a list). */
    Optional<Integer> modelTokenId(String kind) {
        for (String file : List.of("config.json", "generation_config.json")) {
            List<Integer> ids = ids(file, kind + "_token_id");
            if (!ids.isEmpty()) return Optional.of(ids.get(0));
        }
        return Optional.empty();
    }

    /** tokenizer_config.json {@code add_bos_token} / {@code add_eos_token}, when set. */
    Optional<Boolean> addToken(String kind) {
        JsonNode v = field(tokenizerConfig, "add_" + kind + "_token");
        return v.isBoolean() ? Optional.of(v.asBoolean()) : Optional.empty();
    }

    String tokenizerClass() {
        return field(tokenizerConfig, "tokenizer_class").asText("");
    }

    /** config.json {@code vocab_size} (the embedding rows), when given. */
    Optional<Integer> vocabSize() {
        List<Integer> v = ids("config.json", "vocab_size");
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** generation_config.json {@code eos_token_id}: an id or a list of them. */
    List<Integer> generationEosIds() {
        return ids("generation_config.json", "eos_token_id");
    }

    private List<Integer> ids(String file, String key) {
        JsonNode v = field(file.equals("config.json") ? config : generationConfig, key);
        List<Integer> out = new ArrayList<>();
        if (isAbsent(v)) return out;
        for (JsonNode n : v.isArray() ? v : List.of(v)) {
            if (!n.canConvertToInt() || n.asInt() < 0) throw new HfFormatException(dir.resolve(file) + ": " + key + " " + brief(v) + " is not a token id (or list of them)");
            out.add(n.asInt());
        }
        return out;
    }

    /**
     * Chat templates by name, "default" first: tokenizer_config.json {@code chat_template} (a string, or a list of
     * {@code {name, template}}), else chat_template.jinja, else chat_template.json.
     */
    Map<String, String> chatTemplates() {
        JsonNode v = field(tokenizerConfig, "chat_template");
        if (isAbsent(v)) {
            Path jinja = dir.resolve("chat_template.jinja");
            if (Files.isRegularFile(jinja)) {
                try {
                    return Map.of("default", Files.readString(jinja));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + jinja, e);
                }
            }
            v = field(read(dir, "chat_template.json"), "chat_template");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (isAbsent(v)) return out;
        if (v.isTextual()) {
            out.put("default", v.asText());
        } else if (v.isArray()) {
            for (JsonNode t : v) {
                if (!field(t, "name").isTextual() || !field(t, "template").isTextual()) {
                    throw new HfFormatException(dir.resolve("tokenizer_config.json") + ": chat_template entry " + brief(t) + " has no name and template");
                }
                out.put(field(t, "name").asText(), field(t, "template").asText());
            }
        } else {
            throw new HfFormatException(dir.resolve("tokenizer_config.json") + ": chat_template is neither a string nor a list of templates");
        }
        return out;
    }
}
