package ai.peregrine.cli;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.TokenInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * TGI's {@code GenerateResponse} JSON: {@code generated_text}, and with details {@code finish_reason},
 * {@code generated_tokens}, {@code seed}, {@code prefill}, {@code tokens}, and {@code top_tokens} when asked.
 * A logprob that does not exist (the first prompt token's) is null, as in TGI.
 */
final class GenerateResponseJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GenerateResponseJson() {}

    static String write(GenerationResult r, boolean details, boolean decoderInputDetails) throws JsonProcessingException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("generated_text", r.generatedText());
        if (details) {
            ObjectNode d = root.putObject("details");
            d.put("finish_reason", r.finishReason().wire());
            d.put("generated_tokens", r.generatedTokens());
            if (r.seed() == null) d.putNull("seed");
            else d.put("seed", new java.math.BigInteger(Long.toUnsignedString(r.seed())));
            ArrayNode prefill = d.putArray("prefill");
            if (decoderInputDetails) {
                for (TokenInfo t : r.prefill()) {
                    ObjectNode o = prefill.addObject();
                    o.put("id", t.id());
                    o.put("text", t.text());
                    putLogprob(o, t.logprob());
                }
            }
            ArrayNode tokens = d.putArray("tokens");
            for (TokenInfo t : r.tokens()) tokens.add(token(t));
            List<List<TokenInfo>> top = r.topTokens();
            if (top.stream().anyMatch(l -> !l.isEmpty())) {
                ArrayNode tt = d.putArray("top_tokens");
                for (List<TokenInfo> step : top) {
                    ArrayNode a = tt.addArray();
                    for (TokenInfo t : step) a.add(token(t));
                }
            }
        }
        return MAPPER.writeValueAsString(root);
    }

    private static ObjectNode token(TokenInfo t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", t.id());
        o.put("text", t.text());
        putLogprob(o, t.logprob());
        o.put("special", t.special());
        return o;
    }

    private static void putLogprob(ObjectNode o, float logprob) {
        if (Float.isNaN(logprob)) o.putNull("logprob");
        else o.put("logprob", logprob);
    }
}
