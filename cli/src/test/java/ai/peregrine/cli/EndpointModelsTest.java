package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.hf.SafetensorsDtype;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.hub.FakeHub;
import ai.peregrine.server.ServedEndpoints;
import ai.peregrine.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `serve --endpoint NAME=MODEL`: each extra endpoint's model from a hub id, a local path or the demo model. */
class EndpointModelsTest {
    static final String ID = "tiny-org/tiny-falcon-instruct";

    @TempDir
    Path tmp;

    @Test
    void anEndpointNamingAHubIdServesThatRepositorysSnapshotUnderItsId() throws Exception {
        Path local = tmp.resolve("local");
        RandomModelSpec model = RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, GgmlType.BF16).withName("tiny-falcon-instruct");
        RandomHfCheckpoint.write(new RandomHfCheckpoint.Spec(model, "FalconForCausalLM", SafetensorsDtype.BF16, 1), local);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(local)) {
            for (Path p : s.sorted().toList()) files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
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
