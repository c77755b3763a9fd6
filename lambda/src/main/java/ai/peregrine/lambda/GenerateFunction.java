package ai.peregrine.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * The function's work, shared by both API Gateway event formats: decode and validate the body, call
 * {@code InvokeEndpoint}, and map the outcome — success → 200 with the model's JSON; ModelError → the container's
 * own status and body; throttling → 429; a timeout → 504; anything else → 502 with the request id.
 */
public final class GenerateFunction implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaConfig config;
    private final SageMakerRuntimeClient client;
    private final PayloadValidator validator = new PayloadValidator(JSON);
    private final JsonLog log = new JsonLog(JSON);

    public GenerateFunction(LambdaConfig config) {
        this.config = config;
        this.client = RuntimeClients.create(config);
    }

    public Reply handle(String rawBody, boolean base64Encoded, String requestId, LambdaLogger logger) {
        long start = System.nanoTime();
        ObjectNode entry = log.entry(requestId, config.endpointName());
        Reply reply;
        String outcome;
        try {
            String body = base64Encoded ? decodeBase64(rawBody) : rawBody;
            ObjectNode payload = validator.validate(body);
            entry.put("input_chars", payload.get("inputs").asText().length());
            String answer = client.invokeEndpoint(b -> b.endpointName(config.endpointName())
                    .contentType("application/json").accept("application/json")
                    .body(SdkBytes.fromUtf8String(body))).body().asUtf8String();
            recordTokens(answer, entry);
            reply = new Reply(200, answer);
            outcome = "success";
        } catch (InvalidPayloadException e) {
            ObjectNode err = error(e.getMessage(), requestId);
            err.put("field", e.field());
            entry.put("field", e.field());
            reply = new Reply(400, err.toString());
            outcome = "invalid_payload";
        } catch (ModelErrorException e) {
            Integer original = e.originalStatusCode();
            reply = original != null && e.originalMessage() != null
                    ? new Reply(original, e.originalMessage())
                    : new Reply(502, error("The model failed: " + e.awsErrorDetails().errorMessage(), requestId).toString());
            entry.put("original_status", original);
            outcome = "model_error";
        } catch (RuntimeException e) {
            if (isThrottling(e)) {
                reply = new Reply(429, error("Too many requests: the model is busy, retry later", requestId).toString());
                outcome = "throttled";
            } else if (isTimeout(e)) {
                reply = new Reply(504, error("The model did not answer in time", requestId).toString());
                outcome = "timeout";
            } else {
                reply = new Reply(502, error("The model endpoint could not be called", requestId).toString());
                outcome = "invoke_failed";
                entry.put("level", "ERROR");
                entry.put("error_class", e.getClass().getName());
            }
        }
        entry.put("outcome", outcome);
        entry.put("status", reply.statusCode());
        entry.put("latency_ms", (System.nanoTime() - start) / 1_000_000);
        log.write(logger, entry);
        return reply;
    }

    private static String decodeBase64(String body) {
        try {
            return new String(Base64.getDecoder().decode(body == null ? "" : body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException("body", "the body is marked base64-encoded but is not valid base64");
        }
    }

    /** TGI reports token counts only with {@code details}: logged when present. */
    private static void recordTokens(String answer, ObjectNode entry) {
        try {
            JsonNode r = JSON.readTree(answer);
            JsonNode first = r.isArray() && !r.isEmpty() ? r.get(0) : r;
            JsonNode details = first.path("details");
            if (details.has("generated_tokens")) entry.put("generated_tokens", details.get("generated_tokens").asInt());
            if (details.has("prefill") && details.get("prefill").isArray() && !details.get("prefill").isEmpty()) {
                entry.put("prompt_tokens", details.get("prefill").size());
            }
            entry.put("output_chars", first.path("generated_text").asText("").length());
        } catch (IOException e) {
            entry.put("output_chars", answer.length());
        }
    }

    private static boolean isThrottling(Throwable e) {
        return e instanceof SdkServiceException s && (s.isThrottlingException() || s.statusCode() == 429);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode error(String message, String requestId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        o.put("request_id", requestId);
        return o;
    }

    @Override
    public void close() {
        client.close();
    }
}
