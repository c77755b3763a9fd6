package ai.peregrine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @Test
    void stateRoundTripsInCreationOrder(@TempDir Path dir) {
        StateStore store = new StateStore(dir);
        DeploymentState s = new DeploymentState("demo", "us-east-1", "123456789012", "org/m");
        s.put(new RecordedResource(ResourceKind.ENDPOINT, "demo", "arn:e"));
        s.put(new RecordedResource(ResourceKind.MODEL, "demo-model", "arn:m"));
        store.save(s);
        DeploymentState back = store.load("demo").orElseThrow();
        assertThat(back.resources).extracting(RecordedResource::kind)
                .containsExactly(ResourceKind.MODEL, ResourceKind.ENDPOINT);
        assertThat(back.account).isEqualTo("123456789012");
        assertThat(store.names()).containsExactly("demo");
        store.delete("demo");
        assertThat(store.load("demo")).isEmpty();
    }
}
