package ai.peregrine.lambda;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.server.PeregrineServer;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import java.net.URI;

/** The demo model served on an ephemeral port: its SageMaker Runtime routes are what the function calls. */
final class LocalRuntime implements AutoCloseable {
    static final String ENDPOINT = "demo-endpoint";

    final TransformerModel model = ModelLoader.loadDemo(2);
    final PeregrineServer server;

    LocalRuntime(int maxConcurrentRequests) {
        ServerConfig config = ServerOptions.defaults().withPort(0).withMaxConcurrentRequests(maxConcurrentRequests)
                .resolve(model.config().contextLength(), "demo");
        server = PeregrineServer.start(ServedModel.of(model, config.modelId()), config, SageMakerEndpoint.named(ENDPOINT));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
