package ai.peregrine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables huggingface_hub reads, with its defaults and precedence. */
class HubSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchHuggingfaceHub() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HF_TOKEN_PATH", dir.resolve("absent").toString()));
        assertThat(s.endpoint().toString()).isEqualTo("https://huggingface.co");
        assertThat(s.cacheDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
        assertThat(s.token()).isEmpty();
        assertThat(s.offline()).isFalse();
        assertThat(s.downloadTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void downloadTimeoutIsHfHubDownloadTimeoutInSecondsAndSurvivesTheOverrides() {
        Map<String, String> env = Map.of("HF_TOKEN_PATH", "/nonexistent/token", "HF_HUB_DOWNLOAD_TIMEOUT", "2.5");
        HubSettings s = HubSettings.fromEnvironment(env);
        assertThat(s.downloadTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.withCacheDir(Path.of("/c")).withToken("hf_x").downloadTimeout()).isEqualTo(Duration.ofMillis(2500));
        for (String bad : new String[] {"0", "-3", "soon"}) {
            assertThatThrownBy(() -> HubSettings.fromEnvironment(with(env, "HF_HUB_DOWNLOAD_TIMEOUT", bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HF_HUB_DOWNLOAD_TIMEOUT").hasMessageContaining(bad);
        }
    }

    @Test
    void cacheFolderPrecedenceIsHfHubCacheThenLegacyThenHfHomeThenXdg() {
        Map<String, String> env = Map.of("XDG_CACHE_HOME", "/x", "HF_TOKEN_PATH", "/nonexistent/token");
        assertThat(HubSettings.fromEnvironment(env).cacheDir()).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(HubSettings.fromEnvironment(with(env, "HF_HOME", "/h")).cacheDir()).isEqualTo(Path.of("/h/hub"));
        assertThat(HubSettings.fromEnvironment(with(with(env, "HF_HOME", "/h"), "HUGGINGFACE_HUB_CACHE", "/legacy")).cacheDir())
                .isEqualTo(Path.of("/legacy"));
        assertThat(HubSettings.fromEnvironment(with(with(env, "HUGGINGFACE_HUB_CACHE", "/legacy"), "HF_HUB_CACHE", "/c")).cacheDir())
                .isEqualTo(Path.of("/c"));
        assertThat(HubSettings.fromEnvironment(env).withCacheDir(Path.of("/flag")).cacheDir()).isEqualTo(Path.of("/flag"));
    }

    @Test
    void tokenComesFromHfTokenThenTheLegacyVariableThenTheTokenFile() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "hf_from_file\n");
        Map<String, String> env = Map.of("HF_HOME", dir.toString());
        assertThat(HubSettings.fromEnvironment(env).token()).contains("hf_from_file");
        assertThat(HubSettings.fromEnvironment(with(env, "HUGGING_FACE_HUB_TOKEN", "hf_legacy")).token()).contains("hf_legacy");
        assertThat(HubSettings.fromEnvironment(with(with(env, "HUGGING_FACE_HUB_TOKEN", "hf_legacy"), "HF_TOKEN", "hf_new")).token())
                .contains("hf_new");
        assertThat(HubSettings.fromEnvironment(env).withToken("hf_flag").token()).contains("hf_flag");
        assertThat(HubSettings.fromEnvironment(with(env, "HF_TOKEN", "hf_secret")).toString()).doesNotContain("hf_secret");
    }

    @Test
    void offlineAndEndpointVariables() {
        Map<String, String> env = Map.of("HF_TOKEN_PATH", "/nonexistent/token");
        for (String yes : new String[] {"1", "true", "YES", "on"}) {
            assertThat(HubSettings.fromEnvironment(with(env, "HF_HUB_OFFLINE", yes)).offline()).as(yes).isTrue();
        }
        assertThat(HubSettings.fromEnvironment(with(env, "HF_HUB_OFFLINE", "0")).offline()).isFalse();
        assertThat(HubSettings.fromEnvironment(with(env, "TRANSFORMERS_OFFLINE", "1")).offline()).isTrue();
        assertThat(HubSettings.fromEnvironment(with(env, "HF_ENDPOINT", "https://hf-mirror.example/")).endpoint().toString())
                .isEqualTo("https://hf-mirror.example");
        assertThatThrownBy(() -> HubSettings.fromEnvironment(with(env, "HF_ENDPOINT", "ftp://x")))
                .hasMessageContaining("HF_ENDPOINT must be an http(s) URL");
    }

    private static Map<String, String> with(Map<String, String> env, String k, String v) {
        var m = new java.util.HashMap<>(env);
        m.put(k, v);
        return m;
    }
}
