package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/** Two models served by one process as two SageMaker endpoints, reached by name through the real AWS SDK. */
class MultiEndpointTest {
    private static TransformerModel first;
    private static TransformerModel second;
    private static ServedEndpoints served;
    private static SageMakerRuntimeClient sync;
    private static SageMakerRuntimeAsyncClient async;

    @BeforeAll
    static void start() {
        first = ModelLoader.loadDemo(1);
        second = ModelLoader.loadDemo(1);
        ServerOptions options = ServerOptions.defaults().withPort(0);
        ServerConfig c1 = options.withModelId("demo-a").resolve(first.config().contextLength(), "demo");
        // the second model runs with a shorter context, so its /info tells the two containers apart
        ServerConfig c2 = options.withModelId("demo-b").withTokenLimits(63, 64)
                .resolve(second.config().contextLength(), "demo");
        served = ServedEndpoints.start(List.of(
                new ServedEndpoints.Endpoint(ServedModel.of(first, c1.modelId()), c1, SageMakerEndpoint.named("alpha")),
                new ServedEndpoints.Endpoint(ServedModel.of(second, c2.modelId()), c2, SageMakerEndpoint.named("beta"))));
        int port = served.container().port();
        sync = SageMakerRuntimeTest.configure(SageMakerRuntimeClient.builder(), port);
        async = SageMakerRuntimeTest.configure(SageMakerRuntimeAsyncClient.builder(), port);
    }

    @AfterAll
    static void stop() {
        sync.close();
        async.close();
        served.close();
        first.close();
        second.close();
    }

    @Test
    void eachEndpointNameReachesItsOwnModel() {
        assertThat(served.container().endpoint().name()).isEqualTo("alpha");
        assertThat(invoke("alpha").get(0).get("generated_text").asText()).startsWith("Hello");
        assertThat(invoke("beta").get(0).get("generated_text").asText()).startsWith("Hello");
        assertThat(servedBy("alpha").config().modelId()).isEqualTo("demo-a");
        assertThat(servedBy("beta").config().modelId()).isEqualTo("demo-b");
        assertThat(servedBy("beta").metrics().scrape()).doesNotContain("tgi_request_count 0\n");
    }

    @Test
    void eachEndpointRunsWithItsOwnLimits() {
        String longPrompt = "{\"inputs\":\"" + "word ".repeat(100) + "\",\"parameters\":{\"max_new_tokens\":1}}";
        assertThat(sync.invokeEndpoint(b -> b.endpointName("alpha").contentType("application/json")
                .body(SdkBytes.fromUtf8String(longPrompt))).body().asUtf8String()).contains("generated_text");
        assertThatThrownBy(() -> sync.invokeEndpoint(b -> b.endpointName("beta").contentType("application/json")
                .body(SdkBytes.fromUtf8String(longPrompt))))
                .isInstanceOfSatisfying(ModelErrorException.class, e -> assertThat(e.originalStatusCode()).isEqualTo(422));
    }

    @Test
    void theSecondEndpointStreams() throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<Void> done = async.invokeEndpointWithResponseStream(
                InvokeEndpointWithResponseStreamRequest.builder().endpointName("beta").contentType("application/json")
                        .body(SdkBytes.fromUtf8String("{\"inputs\":\"Hi\",\"parameters\":{\"max_new_tokens\":3},\"stream\":true}"))
                        .build(),
                InvokeEndpointWithResponseStreamResponseHandler.builder()
                        .subscriber(InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder()
                                .onPayloadPart(p -> text.append(p.bytes().asString(StandardCharsets.UTF_8))).build())
                        .build());
        done.get(20, TimeUnit.SECONDS);
        assertThat(text.toString()).contains("data:").contains("generated_text");
    }

    @Test
    void anUnknownNameIsStillAValidationError() {
        assertThatThrownBy(() -> sync.invokeEndpoint(b -> b.endpointName("gamma").contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputs\":\"x\"}"))))
                .isInstanceOfSatisfying(ValidationErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Endpoint gamma of account 000000000000 not found.");
                });
    }

    @Test
    void twoEndpointsCannotShareAName() {
        ServerConfig c = ServerOptions.defaults().withPort(0).resolve(first.config().contextLength(), "demo");
        ServedEndpoints.Endpoint e = new ServedEndpoints.Endpoint(ServedModel.of(first, "demo"), c,
                SageMakerEndpoint.named("same"));
        assertThatThrownBy(() -> ServedEndpoints.start(List.of(e, e)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same");
    }

    private static JsonNode invoke(String endpoint) {
        InvokeEndpointResponse r = sync.invokeEndpoint(b -> b.endpointName(endpoint).contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputs\":\"Hello\",\"parameters\":{\"max_new_tokens\":3}}")));
        return TestServer.json(r.body().asUtf8String());
    }

    private static PeregrineServer servedBy(String endpoint) {
        return served.servers().stream().filter(s -> s.endpoint().name().equals(endpoint)).findFirst().orElseThrow();
    }
}
