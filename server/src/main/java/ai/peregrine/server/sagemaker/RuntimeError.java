package ai.peregrine.server.sagemaker;

import ai.peregrine.server.http.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * An error as SageMaker Runtime answers it (rest-json): the status, the error code in {@code x-amzn-ErrorType}
 * (what the AWS SDKs read first) and a JSON body with {@code message} and, for ModelError, the modeled members.
 */
public record RuntimeError(int status, String code, ObjectNode body) {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";

    public static RuntimeError endpointNotFound(String endpointName) {
        return plain(400, "ValidationError", "Endpoint " + endpointName + " of account " + ACCOUNT + " not found.");
    }

    public static RuntimeError validation(String message) {
        return plain(400, "ValidationError", message);
    }

    /** The container answered 429 (TGI's "Model is overloaded"): the SDKs treat ThrottlingException as retryable. */
    public static RuntimeError throttling() {
        return plain(429, "ThrottlingException", "Rate exceeded: the model is overloaded, try again later.");
    }

    /** The container answered 4xx/5xx: SageMaker's ModelError (424) quoting its status and body. */
    public static RuntimeError modelError(String endpointName, int originalStatus, String originalMessage) {
        String kind = originalStatus < 500 ? "client" : "server";
        String message = "Received " + kind + " error (" + originalStatus + ") from primary with message \""
                + originalMessage + "\". See " + logLink(endpointName) + " in account " + ACCOUNT
                + " for more information.";
        ObjectNode b = modelErrorBody(endpointName, message);
        b.put("ErrorCode", originalStatus < 500 ? "CLIENT_ERROR_FROM_MODEL" : "SERVER_ERROR_FROM_MODEL");
        b.put("OriginalMessage", originalMessage);
        b.put("OriginalStatusCode", originalStatus);
        return new RuntimeError(424, "ModelError", b);
    }

    /** No answer from the container within the invocation timeout. */
    public static RuntimeError modelTimeout(String endpointName) {
        ObjectNode b = modelErrorBody(endpointName, "Your invocation timed out while waiting for a response from"
                + " container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve"
                + " the issue, and try again.");
        b.put("ErrorCode", "INVOCATION_TIMEOUT");
        return new RuntimeError(424, "ModelError", b);
    }

    public static RuntimeError internal(String message) {
        return plain(500, "InternalFailure", message);
    }

    public void send(ServerResponse res) {
        res.status(status);
        res.header("x-amzn-ErrorType", code);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static RuntimeError plain(int status, String code, String message) {
        ObjectNode b = Json.object();
        b.put("message", message);
        return new RuntimeError(status, code, b);
    }

    private static ObjectNode modelErrorBody(String endpointName, String message) {
        ObjectNode b = Json.object();
        b.put("Message", message);
        b.put("LogStreamArn", "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:/aws/sagemaker/Endpoints/"
                + endpointName);
        return b;
    }

    private static String logLink(String endpointName) {
        return "https://" + REGION + ".console.aws.amazon.com/cloudwatch/home?region=" + REGION
                + "#logEventViewer:group=/aws/sagemaker/Endpoints/" + endpointName;
    }
}
