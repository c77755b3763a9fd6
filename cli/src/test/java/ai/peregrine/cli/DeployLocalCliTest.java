package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.cli.CliTest.Run;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.gateway.GatewayConfig;
import ai.peregrine.gateway.GatewayServer;
import ai.peregrine.server.PeregrineServer;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./peregrine deploy local / status / invoke / cleanup against a live local runtime and gateway (demo model). */
class DeployLocalCliTest {
    static final String KEY = "pk-local-0123456789";
    static final String PARAMS = "{\"max_new_tokens\": 4}";

    static TransformerModel model;
    static PeregrineServer runtime;
    static GatewayServer gateway;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        model = ModelLoader.loadDemo(1);
        ServerConfig config = ServerOptions.defaults().withPort(0).resolve(model.config().contextLength(), "demo");
        runtime = PeregrineServer.start(ServedModel.of(model, config.modelId()), config, SageMakerEndpoint.named("demo"));
        gateway = GatewayServer.start(GatewayConfig.defaults(URI.create(runtimeUrl()), "demo", dir.resolve("jobs"))
                .withPort(0).withApiKeys(List.of(KEY)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        runtime.close();
        model.close();
    }

    static String runtimeUrl() {
        return "http://127.0.0.1:" + runtime.port();
    }

    static String[] urls(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--runtime-url", runtimeUrl(), "--gateway-url", "http://127.0.0.1:" + gateway.port()));
        return all.toArray(String[]::new);
    }

    @Test
    void deployStatusInvokeCleanup() throws Exception {
        String state = dir.resolve("state").toString();
        Run d = CliTest.run(urls("deploy", "local", "--model", "demo", "--api-key", KEY, "--state-dir", state));
        assertThat(d.exit()).as(d.err()).isZero();
        String invokeUrl = "http://127.0.0.1:" + gateway.port() + "/generate";
        assertThat(d.out()).contains("SageMaker Runtime endpoint demo: InService", invokeUrl,
                "curl -s -X POST '" + invokeUrl + "'", "-H 'X-Api-Key: " + KEY + "'",
                "\"inputs\": \"Where is Munich? and is it beautiful?\"", "./peregrine cleanup --name demo");
        var recorded = new ObjectMapper().readTree(Files.readString(dir.resolve("state/demo.json")));
        assertThat(recorded.get("kind").asText()).isEqualTo("local");
        assertThat(recorded.get("runtimeUrl").asText()).isEqualTo(runtimeUrl());
        assertThat(recorded.get("invokeUrl").asText()).isEqualTo(invokeUrl);

        Run s = CliTest.run("status", "--state-dir", state);
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).contains("Deployment 'demo' (local", "InService", "invoke URL: " + invokeUrl)
                .doesNotContain("down");

        Run viaGateway = CliTest.run("invoke", "--inputs", "Hello", "--parameters", PARAMS, "--api-key", KEY,
                "--state-dir", state);
        assertThat(viaGateway.exit()).as(viaGateway.err()).isZero();
        assertThat(viaGateway.out()).contains("generated_text");
        Run noKey = CliTest.run("invoke", "--inputs", "Hello", "--parameters", PARAMS, "--state-dir", state);
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.err()).contains("HTTP 401");
        Run direct = CliTest.run("invoke", "--inputs", "Hello", "--parameters", PARAMS, "--direct", "--state-dir", state);
        assertThat(direct.exit()).as(direct.err()).isZero();
        assertThat(direct.out()).contains("generated_text");

        Run c = CliTest.run("cleanup", "--state-dir", state);
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("Removed the record of local deployment 'demo'", "nothing was running in AWS");
        assertThat(dir.resolve("state/demo.json")).doesNotExist();
    }

    @Test
    void anUnknownEndpointOrAStoppedServerIsAOneLineErrorAndRecordsNothing() {
        String state = dir.resolve("unknown").toString();
        Run unknown = CliTest.run(urls("deploy", "local", "--model", "org/other-model", "--state-dir", state));
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("has no endpoint 'org-other-model'").doesNotContain("\tat ");
        Run down = CliTest.run("deploy", "local", "--model", "demo", "--runtime-url", "http://127.0.0.1:1",
                "--state-dir", state);
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("nothing answers GET http://127.0.0.1:1/ping");
        assertThat(Path.of(state)).doesNotExist();
    }
}
