package ai.peregrine.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Recorded-shape API Gateway events with a chosen body, turned into event objects and back to JSON by the
 * Lambda runtime's own serializers (aws-lambda-java-serialization), as the managed runtime does.
 */
final class ApiGatewayEvents {
    static final ObjectMapper JSON = new ObjectMapper();

    private ApiGatewayEvents() {}

    static <T> T event(String resource, Class<T> type, String body, boolean base64) {
        try (InputStream in = ApiGatewayEvents.class.getResourceAsStream("/events/" + resource)) {
            ObjectNode doc = (ObjectNode) JSON.readTree(in);
            doc.put("body", body);
            doc.put("isBase64Encoded", base64);
            return serializer(type).fromJson(JSON.writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> JsonNode toJson(T response, Class<T> type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(type).toJson(response, out);
        try {
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, ApiGatewayEvents.class.getClassLoader());
    }
}
