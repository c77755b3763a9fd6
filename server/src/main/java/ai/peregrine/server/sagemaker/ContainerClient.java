package ai.peregrine.server.sagemaker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls a container's own {@code POST /invocations} over loopback, as SageMaker's front end calls the model
 * container: the runtime routes then see exactly the status, headers and bytes an AWS endpoint would relay.
 */
final class ContainerClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The {@code /invocations} URI of a server bound to {@code host:port}, reached over loopback for a wildcard host. */
    static URI invocationsAt(String host, int port) {
        String h = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
        return URI.create("http://" + h + ":" + port + "/invocations");
    }

    HttpResponse<byte[]> invoke(URI invocations, byte[] body, Map<String, String> headers, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(request(invocations, body, headers, timeout), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The response once its headers arrive; {@code timeout} bounds only that wait. */
    HttpResponse<InputStream> invokeStreaming(URI invocations, byte[] body, Map<String, String> headers,
            Duration timeout) throws IOException, InterruptedException {
        return http.send(request(invocations, body, headers, timeout), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpRequest request(URI invocations, byte[] body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(invocations).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b.build();
    }
}
