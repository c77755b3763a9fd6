package ai.peregrine.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Checks a body against the seed schema before a model call is spent:
 * {@code {"inputs": "...", "parameters": {"top_p": 0.9, "temperature": 0.8, "max_new_tokens": 512,
 * "repetition_penalty": 1.03}}}. {@code inputs} is a non-empty string; {@code parameters} holds only known
 * TGI parameters with sane types and ranges. The first problem found is reported.
 */
public final class PayloadValidator {
    static final int MAX_NEW_TOKENS = 4096;
    private static final Set<String> TOP_LEVEL = Set.of("inputs", "parameters", "stream");

    private final ObjectMapper json;

    public PayloadValidator(ObjectMapper json) {
        this.json = json;
    }

    /** The parsed body, or {@link InvalidPayloadException}. */
    public ObjectNode validate(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            throw new InvalidPayloadException("body", "the body is not valid JSON");
        }
        if (!(root instanceof ObjectNode o)) throw new InvalidPayloadException("body", "the body must be a JSON object");
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!TOP_LEVEL.contains(name)) throw new InvalidPayloadException(name, "unknown field `" + name + "`");
        }
        JsonNode inputs = o.get("inputs");
        if (inputs == null || !inputs.isTextual() || inputs.asText().isBlank()) {
            throw new InvalidPayloadException("inputs", "`inputs` must be a non-empty string");
        }
        JsonNode stream = o.get("stream");
        if (stream != null && !(stream.isBoolean() && !stream.asBoolean())) {
            throw new InvalidPayloadException("stream", "`stream` is not supported here: use /generate_stream");
        }
        JsonNode parameters = o.get("parameters");
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) throw new InvalidPayloadException("parameters", "`parameters` must be an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) checkParameter(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    private static void checkParameter(String name, JsonNode v) {
        String field = "parameters." + name;
        switch (name) {
            case "temperature", "repetition_penalty" -> number(field, v, 0, false, Double.MAX_VALUE);
            case "top_p", "typical_p" -> {
                number(field, v, 0, false, 1);
                if (v.asDouble() >= 1) throw range(field, "in (0, 1)");
            }
            case "frequency_penalty" -> number(field, v, -2, true, 2);
            case "max_new_tokens" -> integer(field, v, 1, MAX_NEW_TOKENS);
            case "top_k", "best_of", "truncate" -> integer(field, v, 1, Integer.MAX_VALUE);
            case "top_n_tokens" -> integer(field, v, 0, 10);
            case "seed" -> integer(field, v, 0, Long.MAX_VALUE);
            case "do_sample", "return_full_text", "details", "decoder_input_details", "watermark" -> {
                if (!v.isBoolean()) throw new InvalidPayloadException(field, "`" + field + "` must be a boolean");
            }
            case "stop" -> {
                if (!v.isArray() || v.size() > 4) {
                    throw new InvalidPayloadException(field, "`" + field + "` must be a list of at most 4 strings");
                }
                for (JsonNode s : v) {
                    if (!s.isTextual()) throw new InvalidPayloadException(field, "`" + field + "` must hold strings");
                }
            }
            default -> throw new InvalidPayloadException(field, "unknown parameter `" + name + "`");
        }
    }

    private static void number(String field, JsonNode v, double min, boolean minInclusive, double max) {
        if (!v.isNumber()) throw new InvalidPayloadException(field, "`" + field + "` must be a number");
        double d = v.asDouble();
        if (Double.isNaN(d) || (minInclusive ? d < min : d <= min) || d > max) {
            throw range(field, (minInclusive ? "at least " : "greater than ") + fmt(min)
                    + (max < Double.MAX_VALUE ? " and at most " + fmt(max) : ""));
        }
    }

    private static void integer(String field, JsonNode v, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidPayloadException(field, "`" + field + "` must be an integer");
        }
        long n = v.asLong();
        if (n < min || n > max) throw range(field, "between " + min + " and " + max);
    }

    private static InvalidPayloadException range(String field, String what) {
        return new InvalidPayloadException(field, "`" + field + "` must be " + what);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
