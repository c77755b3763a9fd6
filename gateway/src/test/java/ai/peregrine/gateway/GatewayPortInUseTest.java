package ai.peregrine.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port another process holds is an error at start, not a gateway that logs the failure and stays up unbound. */
class GatewayPortInUseTest {
    @TempDir
    Path dir;

    @Test
    void startingOnABusyPortFailsAndNamesThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            GatewayConfig config = GatewayConfig.defaults(URI.create("http://127.0.0.1:9"), "demo", dir.resolve("jobs.db"))
                    .withPort(busy.getLocalPort());
            assertThatThrownBy(() -> GatewayServer.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot listen on " + config.host() + ":" + busy.getLocalPort() + " (is the port in use?)");
        }
    }
}
