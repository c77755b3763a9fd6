package ai.peregrine.server.tgi;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.TokenInfo;
import ai.peregrine.server.http.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;

/**
 * TGI's {@code GenerateResponse} JSON: {@code generated_text}, and with details {@code finish_reason},
 * {@code generated_tokens}, {@code seed}, {@code prefill}, {@code tokens}, {@code top_tokens} when asked and
 * {@code best_of_sequences} for best_of. A logprob that does not exist (the first prompt token's) is null.
 * Also TGI's {@code Token} and {@code StreamDetails} pieces, shared with the streaming route.
 */
public final class GenerateResponseJson {
    private GenerateResponseJson() {}

    /** The response for one result; {@code generatedText} may differ from the result's (return_full_text). */
    public static ObjectNode toJson(GenerationResult r, String generatedText, boolean details,
                                    boolean decoderInputDetails, List<ObjectNode> bestOfSequences) {
        ObjectNode root = Json.object();
        root.put("generated_text", generatedText);
        if (details) {
            ObjectNode d = root.putObject("details");
            putDetails(d, r, decoderInputDetails);
            if (bestOfSequences != null) d.putArray("best_of_sequences").addAll(bestOfSequences);
        }
        return root;
    }

    /** As {@link #toJson} with the result's own text, as a string (the CLI's --json output). */
    public static String write(GenerationResult r, boolean details, boolean decoderInputDetails) {
        return Json.write(toJson(r, r.generatedText(), details, decoderInputDetails, null));
    }

    /** TGI's {@code BestOfSequence}: the details of a candidate that was not chosen, with its text. */
    public static ObjectNode bestOfSequence(GenerationResult r, String generatedText, boolean decoderInputDetails) {
        ObjectNode o = Json.object();
        o.put("generated_text", generatedText);
        putDetails(o, r, decoderInputDetails);
        return o;
    }

    private static void putDetails(ObjectNode d, GenerationResult r, boolean decoderInputDetails) {
        d.put("finish_reason", r.finishReason().wire());
        d.put("generated_tokens", r.generatedTokens());
        putSeed(d, r.seed());
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

    /** TGI's {@code StreamDetails}: finish_reason, generated_tokens, seed, input_length. */
    public static ObjectNode streamDetails(GenerationResult r) {
        ObjectNode d = Json.object();
        d.put("finish_reason", r.finishReason().wire());
        d.put("generated_tokens", r.generatedTokens());
        putSeed(d, r.seed());
        d.put("input_length", r.promptTokens());
        return d;
    }

    public static ObjectNode token(TokenInfo t) {
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.put("text", t.text());
        putLogprob(o, t.logprob());
        o.put("special", t.special());
        return o;
    }

    /** The seed is an unsigned 64-bit value carried in a long. */
    private static void putSeed(ObjectNode d, Long seed) {
        if (seed == null) d.putNull("seed");
        else d.put("seed", new BigInteger(Long.toUnsignedString(seed)));
    }

    private static void putLogprob(ObjectNode o, float logprob) {
        if (Float.isNaN(logprob)) o.putNull("logprob");
        else o.put("logprob", logprob);
    }
}
