package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.server.PeregrineServer;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench-serve against a live demo endpoint: every streamed token is counted and timed. */
class BenchServeCommandTest {
    @Test
    void reportsThroughputAndLatenciesOfStreamedTokens() throws Exception {
        try (TransformerModel model = ModelLoader.loadDemo(1)) {
            ServerConfig config = ServerOptions.defaults().withPort(0).resolve(model.config().contextLength(), "demo");
            PeregrineServer server = PeregrineServer.start(ServedModel.of(model, config.modelId()), config);
            try {
                CliTest.Run r = CliTest.run("bench-serve", "--url", "http://127.0.0.1:" + server.port(),
                        "--concurrency", "2", "--requests", "3", "--max-new-tokens", "5", "--json");
                assertThat(r.exit()).as(r.err()).isZero();
                JsonNode o = new ObjectMapper().readTree(r.out());
                assertThat(o.get("requests").asInt()).isEqualTo(3);
                assertThat(o.get("output_tokens").asInt()).isEqualTo(15);
                assertThat(o.get("output_tokens_per_s").asDouble()).isPositive();
                assertThat(o.get("ttft_ms").get("p50").asDouble()).isPositive();
                assertThat(o.get("itl_ms").get("p99").asDouble()).isGreaterThanOrEqualTo(o.get("itl_ms").get("p50").asDouble());
            } finally {
                server.close();
            }
        }
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> xs = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(BenchServeCommand.percentile(xs, 50)).isEqualTo(5.0);
        assertThat(BenchServeCommand.percentile(xs, 99)).isEqualTo(10.0);
        assertThat(BenchServeCommand.percentile(List.of(3.0), 99)).isEqualTo(3.0);
    }
}
