package ai.peregrine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepoIdTest {
    @Test
    void parsesOwnerNameAndRevision() {
        RepoId plain = RepoId.parse("tiiuae/falcon-7b-instruct");
        assertThat(plain.owner()).isEqualTo("tiiuae");
        assertThat(plain.name()).isEqualTo("falcon-7b-instruct");
        assertThat(plain.revision()).isEqualTo("main");
        assertThat(plain.cacheFolderName()).isEqualTo("models--tiiuae--falcon-7b-instruct");
        assertThat(plain).hasToString("tiiuae/falcon-7b-instruct");

        RepoId pinned = RepoId.parse("meta-llama/Llama-3.2-1B@refs/pr/12");
        assertThat(pinned.revision()).isEqualTo("refs/pr/12");
        assertThat(pinned).hasToString("meta-llama/Llama-3.2-1B@refs/pr/12");
        assertThat(RepoId.isCommitHash("ec89142b67d748a1865ea4451372db8313ada0d8")).isTrue();
        assertThat(RepoId.isCommitHash("ec89142")).isFalse();
    }

    @Test
    void badIdsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> RepoId.parse("falcon-7b")).hasMessageContaining("expected ORG/NAME[@REVISION]");
        assertThatThrownBy(() -> RepoId.parse("a/b/c")).hasMessageContaining("expected ORG/NAME[@REVISION]");
        assertThatThrownBy(() -> RepoId.parse("tiiuae/falcon@")).hasMessageContaining("empty revision after '@'");
        assertThatThrownBy(() -> RepoId.parse("tiiuae/fal con")).hasMessageContaining("bad repository name 'fal con'");
        assertThatThrownBy(() -> RepoId.parse("tii--uae/falcon")).hasMessageContaining("bad repository owner");
        assertThatThrownBy(() -> RepoId.parse("tiiuae/-falcon")).hasMessageContaining("not starting or ending with");
        assertThatThrownBy(() -> RepoId.parse("tiiuae/falcon@../../x")).hasMessageContaining("bad revision");
        assertThatThrownBy(() -> RepoId.parse("")).hasMessageContaining("empty model id");
    }

    @Test
    void looksLikeRepoIdTellsHubIdsFromFilePaths() {
        assertThat(RepoId.looksLikeRepoId("tiiuae/falcon-7b-instruct")).isTrue();
        assertThat(RepoId.looksLikeRepoId("tiiuae/falcon-7b-instruct@main")).isTrue();
        assertThat(RepoId.looksLikeRepoId("models/falcon.gguf")).isFalse();
        assertThat(RepoId.looksLikeRepoId("/opt/ml/model")).isFalse();
        assertThat(RepoId.looksLikeRepoId("./x/y")).isFalse();
        assertThat(RepoId.looksLikeRepoId("model.gguf")).isFalse();
        assertThat(RepoId.looksLikeRepoId("a/b/c")).isFalse();
    }

    @Test
    void urlPartsAreEncodedAsHuggingfaceHubQuotesThem() {
        assertThat(UrlPaths.segment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
        assertThat(UrlPaths.path("onnx/model file+1.json")).isEqualTo("onnx/model%20file%2B1.json");
        assertThat(UrlPaths.path("é.json")).isEqualTo("%C3%A9.json");
    }
}
