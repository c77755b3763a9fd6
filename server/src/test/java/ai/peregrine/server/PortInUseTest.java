package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port another process holds is an error at start, not a server that logs the failure and stays up unbound. */
class PortInUseTest {
    @Test
    void startingOnABusyPortFailsAndNamesThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0); TransformerModel model = ModelLoader.loadDemo(1)) {
            ServerConfig config = ServerOptions.defaults().withPort(busy.getLocalPort()).resolve(model.config().contextLength(), "demo");
            assertThatThrownBy(() -> PeregrineServer.start(ServedModel.of(model, config.modelId()), config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot listen on " + config.host() + ":" + busy.getLocalPort() + " (is the port in use?)");
        }
    }
}
