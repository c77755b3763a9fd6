package ai.peregrine.engine.tokenizer.hf;

import static ai.peregrine.engine.tokenizer.hf.JsonFiles.brief;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.field;
import static ai.peregrine.engine.tokenizer.hf.JsonFiles.isAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The special tokens a tokenizer.json post-processor puts around one sequence when encoding with special tokens:
 * none (no post-processor, ByteLevel), or a TemplateProcessing {@code [SPECIAL] $A [SPECIAL]}.
 *
 * @param prefixId the token before the text, -1 for none; {@code suffixId} likewise after it
 */
record PostProcessor(int prefixId, int suffixId) {
    static final PostProcessor NONE = new PostProcessor(-1, -1);

    static PostProcessor of(JsonNode node) {
        if (isAbsent(node)) return NONE;
        List<JsonNode> processors = new ArrayList<>();
        if (field(node, "type").asText("").equals("Sequence")) field(node, "processors").forEach(processors::add);
        else processors.add(node);
        PostProcessor result = NONE;
        for (JsonNode p : processors) {
            switch (field(p, "type").asText("")) {
                case "ByteLevel" -> { } // adjusts offsets only
                case "TemplateProcessing" -> {
                    if (result != NONE) throw unsupported(node, "more than one TemplateProcessing");
                    result = template(p);
                }
                default -> throw unsupported(node, "supported: TemplateProcessing, ByteLevel, or a Sequence of them");
            }
        }
        return result;
    }

    private static PostProcessor template(JsonNode p) {
        JsonNode single = field(p, "single");
        int sequenceAt = -1;
        for (int i = 0; i < single.size(); i++) {
            if (!isAbsent(field(single.get(i), "Sequence"))) {
                if (sequenceAt >= 0 || !field(field(single.get(i), "Sequence"), "id").asText("").equals("A")) {
                    throw unsupported(p, "the single template must hold the sequence $A once");
                }
                sequenceAt = i;
            }
        }
        if (sequenceAt < 0 || sequenceAt > 1 || single.size() - sequenceAt > 2) {
            throw unsupported(p, "supported single templates: [SPECIAL] $A [SPECIAL], each special optional");
        }
        return new PostProcessor(sequenceAt == 1 ? specialId(p, single.get(0)) : -1,
                single.size() - sequenceAt == 2 ? specialId(p, single.get(sequenceAt + 1)) : -1);
    }

    private static int specialId(JsonNode p, JsonNode piece) {
        String name = field(field(piece, "SpecialToken"), "id").asText(null);
        JsonNode ids = field(field(field(p, "special_tokens"), name == null ? "" : name), "ids");
        if (name == null || !ids.isArray() || ids.size() != 1 || !ids.get(0).canConvertToInt()) {
            throw unsupported(p, "each special token of the template must stand for exactly one id");
        }
        return ids.get(0).asInt();
    }

    private static HfFormatException unsupported(JsonNode node, String why) {
        return new HfFormatException("tokenizer.json: unsupported post_processor " + brief(node) + " (" + why + ")");
    }
}
