package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir
    Path dir;

    @Test
    void aHubIdInHfModelIdGoesToTheHubResolverAfterLocalPathsAndTheSageMakerFolder() throws IOException {
        List<String> asked = new ArrayList<>();
        Path snapshot = Files.createDirectories(dir.resolve("snapshot"));
        Path sagemaker = Files.createDirectories(dir.resolve("opt-ml-model"));
        Map<String, String> env = Map.of("HF_MODEL_ID", "tiiuae/falcon-7b");

        assertThat(ModelLocator.locate(null, env, sagemaker, id -> {
            asked.add(id);
            return Optional.of(snapshot);
        })).contains(snapshot);
        assertThat(asked).containsExactly("tiiuae/falcon-7b");

        Path mounted = Files.writeString(sagemaker.resolve("model.gguf"), "x");
        asked.clear();
        assertThat(ModelLocator.locate(null, env, sagemaker, id -> {
            asked.add(id);
            return Optional.of(snapshot);
        })).contains(mounted);
        assertThat(asked).as("a mounted model wins, nothing is downloaded").isEmpty();
    }

    @Test
    void anHfModelIdThatIsNeitherPathNorHubIdIsAnError() {
        assertThatThrownBy(() -> ModelLocator.locate(null, Map.of("HF_MODEL_ID", "nothing"), dir.resolve("none"),
                id -> Optional.empty())).hasMessageContaining("HF_MODEL_ID=nothing is neither a local path")
                .hasMessageContaining("nor a hub model id (ORG/NAME)");
    }

    @Test
    void aHuggingFaceCheckpointFolderIsTakenAsItIs() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.writeString(dir.resolve("other.gguf"), "x");
        assertThat(ModelLocator.ggufIn(dir)).isEqualTo(dir);
        Files.delete(dir.resolve("config.json"));
        assertThat(ModelLocator.ggufIn(dir)).isEqualTo(dir.resolve("other.gguf"));
    }
}
