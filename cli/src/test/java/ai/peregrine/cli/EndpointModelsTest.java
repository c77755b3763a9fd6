package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.hub.FakeHub;
import ai.peregrine.server.ServedEndpoints;
import ai.peregrine.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `serve --endpoint NAME=MODEL`: each extra endpoint's model from a hub id, a local path or the demo model. */
class EndpointModelsTest {
    static final String ID = TinyHubCheckpoint.ID;

    @TempDir
    Path tmp;

    @Test
    void anEndpointNamingAHubIdServesThatRepositorysSnapshotUnderItsId() throws Exception {
        Path local = tmp.resolve("local");
        Map<String, byte[]> files = TinyHubCheckpoint.write(local, 1);
        try (FakeHub hub = FakeHub.start()) {
            hub.repo(ID).commit("main", files);
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.url(), "HF_HOME", tmp.resolve("hf-home").toString());
            StringWriter log = new StringWriter();
            PrintWriter err = new PrintWriter(log, true);
            Map<String, String> more = new LinkedHashMap<>();
            more.put("tiny-hub", ID);
            more.put("tiny-local", local.toString());
            more.put("toy", EndpointModels.DEMO);
            try (EndpointModels m = EndpointModels.load(Optional.empty(), "container", more, ServerOptions.defaults(),
                    LoadOptions.threads(1), () -> {}, id -> HubModelArgument.resolve(id, env, err))) {
                List<ServedEndpoints.Endpoint> e = m.endpoints();
                assertThat(e).extracting(x -> x.endpoint().name()).containsExactly("container", "tiny-hub", "tiny-local", "toy");
                assertThat(e.get(1).config().modelId()).isEqualTo(ID);
                assertThat(e.get(2).config().modelId()).isEqualTo("local");
                assertThat(e.get(1).served().model().config().architecture()).isEqualTo(e.get(2).served().model().config().architecture());
                assertThat(e.get(1).served().model().config().embeddingLength()).isEqualTo(128);
            }
            assertThat(log.toString()).contains("fetching " + ID);
            assertThat(tmp.resolve("hf-home/hub/models--tiny-org--tiny-falcon-instruct/snapshots")).isDirectory();

            assertThatThrownBy(() -> EndpointModels.load(Optional.empty(), null, Map.of("missing", "tiny-org/absent"),
                    ServerOptions.defaults(), LoadOptions.threads(1), () -> {}, id -> HubModelArgument.resolve(id, env, err)))
                    .hasMessageContaining("tiny-org/absent");
        }
    }
}
