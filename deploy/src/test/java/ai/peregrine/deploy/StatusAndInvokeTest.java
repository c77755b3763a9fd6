package ai.peregrine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusAndInvokeTest {
    @Test
    void statusShowsEachResourceAndTheInstanceCountAndInvokeReachesTheEndpoint(@TempDir Path dir) throws Exception {
        try (FakeAws fake = new FakeAws(); AwsClients aws = DeployAgainstFakeAwsTest.clients(fake)) {
            Path jar = Files.write(dir.resolve("l.zip"), new byte[] {'P', 'K'});
            StateStore store = new StateStore(dir);
            DeploySpec spec = DeploySpec.defaults("demo", FakeAws.REGION, "org/demo", jar);
            new AwsDeployer(aws, store, new Timing(Duration.ZERO, Duration.ofSeconds(5), Duration.ZERO, 3), s -> { })
                    .deploy(new DeploySpec(spec.name(), spec.region(), spec.modelId(), spec.image(), spec.tgiVersion(),
                            null, null, spec.instanceType(), 2, 1, 1024, 2048, 300, null, jar, spec.lambdaHandler(),
                            spec.lambdaRuntime(), null));
            fake.functions.clear();
            List<String> lines = new DeploymentStatus(aws).describe(store.load("demo").orElseThrow());
            assertThat(lines).anyMatch(l -> l.contains("SageMaker endpoint") && l.contains("InService, instances 2 (desired 2)"))
                    .anyMatch(l -> l.contains("Lambda function") && l.endsWith("gone"))
                    .anyMatch(l -> l.contains("HTTP API") && l.contains("https://"))
                    .anyMatch(l -> l.startsWith("  invoke URL: https://"));

            String body = EndpointInvoker.body("Where is Munich?", null);
            assertThat(body).isEqualTo("{\"inputs\":\"Where is Munich?\",\"parameters\":{\"top_p\":0.9,\"temperature\":0.8,"
                    + "\"max_new_tokens\":512,\"repetition_penalty\":1.03}}");
            assertThat(EndpointInvoker.direct(aws, "demo", body)).contains("generated_text", "Bavaria");
        }
    }
}
