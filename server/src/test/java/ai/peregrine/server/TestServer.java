package ai.peregrine.server;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** The demo model served on an ephemeral port, with a JDK HttpClient pointed at it. */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final TransformerModel model;
    final PeregrineServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(UnaryOperator<ServerOptions> options) {
        this(options, null);
    }

    /** {@code endpoint}: the SageMaker Runtime endpoint to serve, or null for the one named after the model. */
    TestServer(UnaryOperator<ServerOptions> options, SageMakerEndpoint endpoint) {
        model = ModelLoader.loadDemo(2);
        try {
            ServerOptions o = options.apply(ServerOptions.defaults().withPort(0));
            ServerConfig config = o.resolve(model.config().contextLength(), "demo");
            server = endpoint == null
                    ? PeregrineServer.start(ServedModel.of(model, config.modelId()), config)
                    : PeregrineServer.start(ServedModel.of(model, config.modelId()), config, endpoint);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<InputStream> postStreaming(String path, String body) {
        try {
            return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
