package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.cli.CliTest.Run;
import ai.peregrine.deploy.FakeAws;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./peregrine deploy aws / status / invoke / cleanup against the deploy module's local AWS double. */
class DeployCliTest {
    @BeforeAll
    static void fakeCredentials() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
    }

    @AfterAll
    static void dropCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @TempDir Path dir;


    @Test
    void dryRunPrintsThePlanAndCallsNothing() throws Exception {
        try (FakeAws fake = new FakeAws()) {
            Run r = CliTest.run("deploy", "aws", "--model", "tiiuae/falcon-7b-instruct", "--region", "eu-west-1",
                    "--dry-run", "--state-dir", dir.toString(), "--endpoint-url", fake.uri().toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Deployment 'falcon-7b-instruct' in eu-west-1",
                    "763104351884.dkr.ecr.eu-west-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.0.0-tgi0.8.2",
                    "HF_MODEL_ID=tiiuae/falcon-7b-instruct", "instanceType: ml.g5.2xlarge", "POST /generate",
                    "Dry run: nothing was created");
            Run c = CliTest.run("cleanup", "--name", "falcon-7b-instruct", "--dry-run", "--state-dir", dir.toString(),
                    "--endpoint-url", fake.uri().toString(), "--region", "eu-west-1");
            assertThat(c.exit()).as(c.err()).isZero();
            assertThat(c.out()).contains("SageMaker endpoint: falcon-7b-instruct",
                    "CloudWatch log group (SageMaker endpoint): /aws/sagemaker/Endpoints/falcon-7b-instruct");
            Run kept = CliTest.run("cleanup", "--name", "falcon-7b-instruct", "--dry-run", "--keep-logs",
                    "--state-dir", dir.toString(), "--endpoint-url", fake.uri().toString(), "--region", "eu-west-1");
            assertThat(kept.exit()).as(kept.err()).isZero();
            assertThat(kept.out()).contains("SageMaker endpoint: falcon-7b-instruct").doesNotContain("log group");
            assertThat(fake.calls).isEmpty();
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void deployStatusInvokeCleanup() throws Exception {
        Path jar = Files.write(dir.resolve("lambda.zip"), new byte[] {'P', 'K'});
        try (FakeAws fake = new FakeAws()) {
            String[] common = {"--state-dir", dir.resolve("state").toString(), "--endpoint-url", fake.uri().toString(),
                    "--region", FakeAws.REGION};
            Run d = CliTest.run(concat(new String[] {"deploy", "aws", "--model", "tiiuae/falcon-7b-instruct",
                    "--name", "falcon", "--lambda-jar", jar.toString(), "--poll-seconds", "0.001"}, common));
            assertThat(d.exit()).as(d.err()).isZero();
            assertThat(d.out()).contains("endpoint falcon: Creating", "endpoint falcon: InService",
                    ".execute-api.us-east-1.amazonaws.com/generate", "curl -s -X POST",
                    "\"inputs\": \"Where is Munich? and is it beautiful?\"", "./peregrine cleanup --name falcon");

            Run s = CliTest.run(concat(new String[] {"status"}, common));
            assertThat(s.exit()).as(s.err()).isZero();
            assertThat(s.out()).contains("InService, instances 1 (desired 1)");

            Run i = CliTest.run(concat(new String[] {"invoke", "--inputs", "Where is Munich?", "--direct"}, common));
            assertThat(i.exit()).as(i.err()).isZero();
            assertThat(i.out()).contains("generated_text");

            Run c = CliTest.run(concat(new String[] {"cleanup", "--name", "falcon"}, common));
            assertThat(c.exit()).as(c.err()).isZero();
            assertThat(c.out()).contains("CloudWatch log group (Lambda) /aws/lambda/falcon-generate deleted",
                    "Done: 11 deleted, 0 already gone.");
            Run again = CliTest.run(concat(new String[] {"cleanup", "--name", "falcon"}, common));
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("No state file", "Done: 0 deleted, 0 already gone.");
        }
    }

    @Test
    void aFailedEndpointExitsNonZeroAndSaysHowToCleanUp() throws Exception {
        Path jar = Files.write(dir.resolve("lambda.zip"), new byte[] {'P', 'K'});
        try (FakeAws fake = new FakeAws()) {
            fake.endpointFailureReason = "CUDA out of memory";
            Run d = CliTest.run("deploy", "aws", "--model", "org/big", "--lambda-jar", jar.toString(),
                    "--poll-seconds", "0.001", "--state-dir", dir.toString(), "--endpoint-url", fake.uri().toString(),
                    "--region", FakeAws.REGION);
            assertThat(d.exit()).isEqualTo(1);
            assertThat(d.err()).contains("endpoint big is Failed: CUDA out of memory",
                    "./peregrine cleanup --name big");
        }
    }

    @Test
    void badInputsGiveOneLineErrors() {
        Run noJar = CliTest.run("deploy", "aws", "--model", "org/m", "--region", "us-east-1",
                "--lambda-jar", dir.resolve("none.jar").toString(), "--state-dir", dir.toString());
        assertThat(noJar.exit()).isEqualTo(1);
        assertThat(noJar.err()).contains("Lambda jar not found").doesNotContain("\tat ");
        Run noName = CliTest.run("cleanup", "--state-dir", dir.toString());
        assertThat(noName.err()).contains("no deployments recorded");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
