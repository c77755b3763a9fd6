package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.cli.CliTest.Run;
import ai.peregrine.hub.FakeHub;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user takes with a hub id: a real (tiny, random) sharded BF16 Falcon checkpoint is published on
 * the hub double, `generate --model ORG/NAME` downloads it into the cache and runs it, and the text equals what the
 * same checkpoint gives from a local directory; a second run works offline from the cache.
 */
class HubModelEndToEndTest {
    static final String ID = TinyHubCheckpoint.ID;

    @TempDir
    Path tmp;

    @Test
    void generateWithAHubIdDownloadsTheCheckpointAndRunsIt() throws Exception {
        Path local = tmp.resolve("local");
        Map<String, byte[]> files = TinyHubCheckpoint.write(local, 2);
        assertThat(files.keySet()).contains("config.json", "tokenizer.json", "model.safetensors.index.json");

        List<String> generate = List.of("generate", "--prompt", "Where is Munich?", "--max-new-tokens", "6", "--threads", "1");
        Run fromDirectory = CliTest.run(concat(generate, "--model", local.toString()));
        assertThat(fromDirectory.exit()).as(fromDirectory.err()).isZero();

        try (FakeHub hub = FakeHub.start()) {
            hub.repo(ID).commit("main", files);
            Path hfHome = tmp.resolve("hf-home");
            Run fromHub;
            try (AutoCloseable env = Environment.replacedBy(Map.of("HF_ENDPOINT", hub.url(), "HF_HOME", hfHome.toString()))) {
                fromHub = CliTest.run(concat(generate, "--model", ID));
            }
            assertThat(fromHub.exit()).as(fromHub.err()).isZero();
            assertThat(fromHub.out()).isEqualTo(fromDirectory.out());
            assertThat(hfHome.resolve("hub/models--tiny-org--tiny-falcon-instruct/snapshots")).isDirectory();

            Run offline;
            try (AutoCloseable env = Environment.replacedBy(Map.of("HF_ENDPOINT", "http://127.0.0.1:9", "HF_HOME",
                    hfHome.toString(), "HF_HUB_OFFLINE", "1"))) {
                offline = CliTest.run(concat(generate, "--model", ID));
            }
            assertThat(offline.exit()).as(offline.err()).isZero();
            assertThat(offline.out()).isEqualTo(fromDirectory.out());
        }
    }

    private static String[] concat(List<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).toArray(String[]::new);
    }
}
