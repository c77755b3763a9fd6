package ai.peregrine.cli;

import static ai.peregrine.hub.FakeHub.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.cli.CliTest.Run;
import ai.peregrine.hub.FakeCdn;
import ai.peregrine.hub.FakeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./peregrine pull (and --model / HF_MODEL_ID hub ids) against the hub double, as a user runs them. */
class PullCliTest {
    static final String ID = "tiny-org/tiny-falcon";

    @TempDir
    Path hfHome;
    FakeHub hub;
    Map<String, byte[]> files;
    String commit;
    String weightsOid;

    @BeforeEach
    void start() throws IOException {
        hub = FakeHub.start();
        files = new LinkedHashMap<>();
        files.put("config.json", "{\"architectures\":[\"FalconForCausalLM\"]}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] weights = new byte[1_500_000];
        new Random(7).nextBytes(weights);
        files.put("model.safetensors", weights);
        files.put("README.md", "# tiny".getBytes(StandardCharsets.UTF_8));
        commit = hub.repo(ID).commit("main", files);
        weightsOid = sha256Hex(weights);
    }

    @AfterEach
    void stop() throws IOException {
        hub.close();
    }

    Run withEnv(Map<String, String> extra, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.url(), "HF_HOME", hfHome.toString()));
        env.putAll(extra);
        try (AutoCloseable ignored = Environment.replacedBy(env)) {
            return CliTest.run(args);
        }
    }

    Path snapshot() {
        return hfHome.resolve("hub/models--tiny-org--tiny-falcon/snapshots").resolve(commit);
    }

    @Test
    void pullDownloadsIntoTheHfHomeCacheAndPrintsTheSnapshotFolder() throws Exception {
        Run r = withEnv(Map.of(), "pull", ID);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(snapshot().toString());
        assertThat(Files.readAllBytes(snapshot().resolve("model.safetensors"))).isEqualTo(files.get("model.safetensors"));
        assertThat(snapshot().resolve("README.md")).doesNotExist();
        assertThat(Files.readString(hfHome.resolve("hub/models--tiny-org--tiny-falcon/refs/main"))).isEqualTo(commit);
        assertThat(r.err()).contains("fetching " + ID + " from " + hub.url(), "model.safetensors", "100%");
    }

    @Test
    void anInterruptedPullFailsClearlyAndTheNextOneResumes() throws Exception {
        hub.cdn.dropAt(weightsOid, 250_000, -1);

        Run failed = withEnv(Map.of(), "pull", ID);

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("peregrine pull: error: download of " + ID + " file 'model.safetensors' keeps failing",
                "next pull resumes it").doesNotContain("Exception:");
        Path part = hfHome.resolve("hub/models--tiny-org--tiny-falcon/blobs/" + weightsOid + ".incomplete");
        assertThat(Files.size(part)).isEqualTo(250_000);

        hub.cdn.heal(weightsOid);
        Run resumed = withEnv(Map.of(), "pull", ID);

        assertThat(resumed.exit()).as(resumed.err()).isZero();
        List<FakeCdn.Request> gets = hub.cdn.requestsFor(weightsOid);
        assertThat(gets.getLast().header("Range")).isEqualTo("bytes=250000-");
        assertThat(Files.readAllBytes(snapshot().resolve("model.safetensors"))).isEqualTo(files.get("model.safetensors"));
        assertThat(part).doesNotExist();
    }

    @Test
    void aCorruptDownloadIsRejectedAndLeavesTheSnapshotWithoutIt() throws Exception {
        hub.cdn.corrupt(weightsOid);

        Run r = withEnv(Map.of(), "pull", ID);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("'model.safetensors' arrived corrupt: sha256", "expected " + weightsOid);
        assertThat(snapshot().resolve("model.safetensors")).doesNotExist();
        assertThat(hfHome.resolve("hub/models--tiny-org--tiny-falcon/blobs/" + weightsOid + ".incomplete")).doesNotExist();
    }

    @Test
    void offlineUsesTheCacheOnly() throws Exception {
        Map<String, String> offline = Map.of("HF_HUB_OFFLINE", "1");
        Run miss = withEnv(offline, "pull", ID);
        assertThat(miss.exit()).isEqualTo(1);
        assertThat(miss.err()).contains(ID + " is not in the cache at " + hfHome.resolve("hub"), "HF_HUB_OFFLINE is set");
        assertThat(hub.requests).isEmpty();

        assertThat(withEnv(Map.of(), "pull", ID).exit()).isZero();
        int requests = hub.requests.size();
        Run hit = withEnv(offline, "pull", ID);

        assertThat(hit.exit()).as(hit.err()).isZero();
        assertThat(hit.out().strip()).isEqualTo(snapshot().toString());
        assertThat(hub.requests).hasSize(requests);
    }

    @Test
    void cacheDirAndTokenFlagsOverrideTheEnvironment(@TempDir Path elsewhere) throws Exception {
        hub.repo(ID).gated("hf_good");
        Run gated = withEnv(Map.of("HF_TOKEN", "hf_wrong"), "pull", ID);
        assertThat(gated.exit()).isEqualTo(1);
        assertThat(gated.err()).contains(ID + " is a gated model and this token has no access to it (403)");

        Run r = withEnv(Map.of("HF_TOKEN", "hf_wrong"), "pull", ID, "--token", "hf_good", "--cache-dir", elsewhere.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(elsewhere.resolve("models--tiny-org--tiny-falcon/snapshots/" + commit).toString());
    }

    @Test
    void badIdsAndUnknownReposAreOneLineErrors() throws Exception {
        Run bad = withEnv(Map.of(), "pull", "just-a-name");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("'just-a-name' is not a hub model id: expected ORG/NAME[@REVISION]");

        Run unknown = withEnv(Map.of(), "pull", "tiny-org/nothing-here");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).doesNotContain("\n\tat ")
                .contains("repository tiny-org/nothing-here not found on " + hub.url());
    }

    @Test
    void modelOptionsAndHfModelIdResolveHubIdsThroughTheCache() throws Exception {
        Map<String, String> offline = Map.of("HF_HUB_OFFLINE", "1");
        Run generate = withEnv(offline, "generate", "--model", ID, "--prompt", "x");
        assertThat(generate.exit()).isEqualTo(1);
        assertThat(generate.err()).contains("looking up " + ID + " in the cache", ID + " is not in the cache");

        Run serve = withEnv(Map.of("HF_HUB_OFFLINE", "1", "HF_MODEL_ID", ID, "HF_MODEL_REVISION", "v9"),
                "serve", "--port", "0", "--gateway-port", "0");
        assertThat(serve.exit()).isEqualTo(1);
        assertThat(serve.err()).contains(ID + "@v9 is not in the cache", "no refs/v9");

        assertThat(withEnv(Map.of(), "pull", ID).exit()).isZero();
        Run cached = withEnv(offline, "generate", "--model", ID, "--prompt", "x");
        assertThat(cached.err()).as("the loader gets the snapshot folder").contains(ID + " is in " + snapshot());
    }
}
