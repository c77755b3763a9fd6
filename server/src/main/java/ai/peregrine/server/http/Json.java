package ai.peregrine.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The shared Jackson mapper and the parse step every POST route starts with. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Json() {}

    /** Parses a body that must be one JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.malformedJson(e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiError.malformedJson(e.getMessage());
        }
        if (node == null || node.isMissingNode()) throw ApiError.malformedJson("EOF while parsing a value");
        if (!(node instanceof ObjectNode o)) {
            throw ApiError.deserialization("invalid type: " + JsonFields.describe(node) + ", expected a JSON object");
        }
        return o;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode error(String message, String errorType) {
        ObjectNode o = object();
        o.put("error", message);
        o.put("error_type", errorType);
        return o;
    }
}
