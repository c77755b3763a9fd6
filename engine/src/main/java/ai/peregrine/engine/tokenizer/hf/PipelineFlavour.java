package ai.peregrine.engine.tokenizer.hf;

import static ai.peregrine.engine.tokenizer.hf.JsonFiles.brief;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.field;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.isAbsent;

import ai.peregrine.engine.tokenizer.SpacePrefix;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the tokenizer.json pipelines (normalizer, pre-tokenizer, decoder) Peregrine implements a file has,
 * recognized by structure: byte-level BPE with GPT-2's, Falcon's, Llama 3's or Qwen 2's pre-tokenizer (GGUF
 * {@code gpt2} + {@code pre}), or SentencePiece-style BPE with byte fallback (GGUF {@code llama}). Anything else is
 * rejected, naming the part.
 *
 * @param pre llama.cpp's {@code tokenizer.ggml.pre} name; null for SentencePiece-style
 */
record PipelineFlavour(String ggmlModel, String pre, boolean nfc, SpacePrefix spacePrefix) {
    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String FALCON_DIGITS_REGEX = "[0-9][0-9][0-9]";
    private static final String SPACE = "\u2581";

    static PipelineFlavour of(TokenizerJson json) {
        return json.byteFallback() ? sentencePiece(json) : byteLevel(json);
    }

    private static PipelineFlavour byteLevel(TokenizerJson json) {
        if (!is(json.decoder(), "ByteLevel")) {
            throw unsupported("decoder", json.decoder(), "byte-level BPE (no byte_fallback) needs the ByteLevel decoder");
        }
        boolean nfc;
        if (isAbsent(json.normalizer())) nfc = false;
        else if (is(json.normalizer(), "NFC")) nfc = true;
        else throw unsupported("normalizer", json.normalizer(), "byte-level BPE supports none or NFC");
        List<JsonNode> steps = steps(json.preTokenizer(), "pretokenizers");
        String pre = null;
        if (steps.size() == 1 && byteLevelStep(steps.get(0), true)) {
            pre = "gpt-2";
        } else if (steps.size() == 2 && byteLevelStep(steps.get(1), false) && isolatedSplit(steps.get(0))) {
            pre = switch (regex(steps.get(0))) {
                case LLAMA3_REGEX -> "llama-bpe";
                case QWEN2_REGEX -> "qwen2";
                case GPT2_REGEX -> "gpt-2";
                default -> null;
            };
        } else if (steps.size() == 4 && is(steps.get(0), "Punctuation") && field(steps.get(0), "behavior").asText("").equals("Contiguous")
                && byteLevelStep(steps.get(1), true)
                && is(steps.get(2), "Digits") && !field(steps.get(2), "individual_digits").asBoolean(true)
                && isolatedSplit(steps.get(3)) && regex(steps.get(3)).equals(FALCON_DIGITS_REGEX)) {
            pre = "falcon";
        }
        if (pre == null) {
            throw unsupported("pre_tokenizer", json.preTokenizer(), "supported: GPT-2's ByteLevel; Falcon's Punctuation, ByteLevel, "
                    + "Digits, three-digit Split sequence; a Llama 3, Qwen 2 or GPT-2 regex Split then ByteLevel");
        }
        return new PipelineFlavour("gpt2", pre, nfc, SpacePrefix.NEVER);
    }

    /** Llama 2 / Mistral: Prepend + Replace normalizer (older files) or a Metaspace pre-tokenizer, and the ByteFallback decoder chain. */
    private static PipelineFlavour sentencePiece(TokenizerJson json) {
        SpacePrefix prefix;
        List<JsonNode> norms = steps(json.normalizer(), "normalizers");
        if (!isAbsent(json.normalizer())) {
            if (!isAbsent(json.preTokenizer())) throw unsupported("pre_tokenizer", json.preTokenizer(), "a SentencePiece-style normalizer comes without a pre-tokenizer");
            if (norms.size() == 2 && is(norms.get(0), "Prepend") && field(norms.get(0), "prepend").asText("").equals(SPACE) && spaceToMetaspace(norms.get(1))) {
                prefix = SpacePrefix.ALWAYS;
            } else if (norms.size() == 1 && spaceToMetaspace(norms.get(0))) {
                prefix = SpacePrefix.NEVER;
            } else {
                throw unsupported("normalizer", json.normalizer(), "supported with byte_fallback: Prepend(\"▁\") + Replace(\" \", \"▁\"), or that Replace alone");
            }
        } else if (is(json.preTokenizer(), "Metaspace") && field(json.preTokenizer(), "replacement").asText("").equals(SPACE)) {
            JsonNode m = json.preTokenizer();
            if (field(m, "split").asBoolean(true)) throw unsupported("pre_tokenizer", m, "a Metaspace that splits the text into words is not supported");
            String scheme = !isAbsent(field(m, "prepend_scheme")) ? field(m, "prepend_scheme").asText()
                    : field(m, "add_prefix_space").asBoolean(true) ? "always" : "never";
            prefix = switch (scheme) {
                case "first" -> SpacePrefix.FIRST_IF_MISSING;
                case "always" -> SpacePrefix.IF_MISSING;
                case "never" -> SpacePrefix.NEVER;
                default -> throw unsupported("pre_tokenizer", m, "unknown Metaspace prepend_scheme");
            };
        } else {
            throw unsupported("pre_tokenizer", json.preTokenizer(), "byte_fallback BPE needs a Metaspace pre-tokenizer or a Prepend/Replace normalizer");
        }
        checkSentencePieceDecoder(json.decoder(), prefix == SpacePrefix.NEVER ? 0 : 1);
        return new PipelineFlavour("llama", null, false, prefix);
    }

    /** Replace("▁" → " "), ByteFallback, Fuse, Strip(" ", start, 0): what Llama/Mistral files have. */
    private static void checkSentencePieceDecoder(JsonNode decoder, int strip) {
        List<JsonNode> steps = steps(decoder, "decoders");
        boolean ok = steps.size() >= 3 && replace(steps.get(0), SPACE, " ") && is(steps.get(1), "ByteFallback") && is(steps.get(2), "Fuse");
        if (ok && steps.size() == 4) {
            JsonNode s = steps.get(3);
            ok = is(s, "Strip") && field(s, "content").asText("").equals(" ") && field(s, "start").asInt(-1) == strip && field(s, "stop").asInt(-1) == 0;
        } else {
            ok &= steps.size() == 3 && strip == 0;
        }
        if (!ok) {
            throw unsupported("decoder", decoder, "with byte_fallback Peregrine supports Replace(\"▁\", \" \"), ByteFallback, Fuse, then Strip(\" \", "
                    + strip + ", 0) when a space is prefixed");
        }
    }

    private static boolean spaceToMetaspace(JsonNode n) {
        return replace(n, " ", SPACE);
    }

    private static boolean replace(JsonNode n, String from, String to) {
        return is(n, "Replace") && field(field(n, "pattern"), "String").asText("\0").equals(from) && field(n, "content").asText("\0").equals(to);
    }

    private static boolean byteLevelStep(JsonNode n, boolean useRegex) {
        return is(n, "ByteLevel") && !field(n, "add_prefix_space").asBoolean(true) && field(n, "use_regex").asBoolean(true) == useRegex;
    }

    private static boolean isolatedSplit(JsonNode n) {
        return is(n, "Split") && field(n, "behavior").asText("").equals("Isolated") && !field(n, "invert").asBoolean(false)
                && field(field(n, "pattern"), "Regex").isTextual();
    }

    private static String regex(JsonNode split) {
        return field(field(split, "pattern"), "Regex").asText();
    }

    private static boolean is(JsonNode n, String type) {
        return !isAbsent(n) && field(n, "type").asText("").equals(type);
    }

    /** The steps of a Sequence, or the node itself as the one step; none when absent. */
    private static List<JsonNode> steps(JsonNode n, String listField) {
        List<JsonNode> out = new ArrayList<>();
        if (isAbsent(n)) return out;
        if (is(n, "Sequence")) field(n, listField).forEach(out::add);
        else out.add(n);
        return out;
    }

    private static HfFormatException unsupported(String part, JsonNode node, String supported) {
        return new HfFormatException("tokenizer.json: unsupported " + part + " " + brief(node) + " (" + supported + ")");
    }
}
