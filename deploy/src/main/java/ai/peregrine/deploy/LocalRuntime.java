package ai.peregrine.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Questions asked of a running {@code ./peregrine serve}: is the runtime up, does it serve an endpoint, is the gateway up. */
public final class LocalRuntime {
    /** One new token: enough to learn whether the endpoint exists without spending time generating. */
    static final String PROBE_BODY = "{\"inputs\": \"ping\", \"parameters\": {\"max_new_tokens\": 1}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** GET {runtimeUrl}/ping answers 200. */
    public boolean isUp(String runtimeUrl) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(runtimeUrl + "/ping")).GET());
        return r != null && r.statusCode() == 200;
    }

    /** Anything answers HTTP on the gateway's port (it has no /ping; a 404 still means it is listening). */
    public boolean gatewayIsUp(String gatewayUrl) {
        return send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/")).GET()) != null;
    }

    /** SageMaker Runtime's route answers an unknown endpoint with 400 ValidationError "... not found". */
    public boolean endpointExists(String runtimeUrl, String endpoint) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(invocationsUrl(runtimeUrl, endpoint)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(PROBE_BODY)));
        if (r == null) return false;
        return !(r.statusCode() == 400 && r.body().contains("not found"));
    }

    public static String invocationsUrl(String runtimeUrl, String endpoint) {
        return runtimeUrl + "/endpoints/" + endpoint + "/invocations";
    }

    /** The response, or null when nothing answers. */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
