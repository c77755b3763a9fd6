package ai.peregrine.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.core.SdkBytes;

/** Sends one TGI request through the API Gateway URL, or straight to the endpoint through SageMaker Runtime. */
public final class EndpointInvoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EndpointInvoker() {}

    /** {"inputs": inputs, "parameters": parametersJson}; the parameters default to the seed's. */
    public static String body(String inputs, String parametersJson) {
        try {
            ObjectNode body = JSON.createObjectNode().put("inputs", inputs);
            body.set("parameters", JSON.readTree(parametersJson == null ? SamplePayload.PARAMETERS : parametersJson));
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("--parameters is not JSON: " + e.getMessage());
        }
    }

    /** Returns the HTTP status line and body; API Gateway's 30 s limit applies. */
    public static String viaUrl(String invokeUrl, String body) throws IOException, InterruptedException {
        return viaUrl(invokeUrl, body, null);
    }

    /** As {@link #viaUrl(String, String)}, with an {@code X-Api-Key} header when apiKey is not null. */
    public static String viaUrl(String invokeUrl, String body, String apiKey) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(invokeUrl))
                .timeout(Duration.ofSeconds(35)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) req.header("X-Api-Key", apiKey);
        HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) throw new IOException("HTTP " + res.statusCode() + ": " + res.body());
        return res.body();
    }

    public static String direct(AwsClients aws, String endpoint, String body) {
        return aws.sageMakerRuntime().invokeEndpoint(r -> r.endpointName(endpoint).contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(body))).body().asUtf8String();
    }
}
