package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/** The local SageMaker Runtime driven by the real AWS SDK for Java v2 clients, sync and streaming. */
class SageMakerRuntimeTest {
    private static final String ENDPOINT = "demo-endpoint";
    private static TestServer t;
    private static SageMakerRuntimeClient sync;
    private static SageMakerRuntimeAsyncClient async;

    @BeforeAll
    static void start() {
        t = new TestServer(o -> o.withMaxConcurrentRequests(2),
                SageMakerEndpoint.named(ENDPOINT).withInvocationTimeout(Duration.ofSeconds(20)));
        sync = configure(SageMakerRuntimeClient.builder(), t.server.port());
        async = configure(SageMakerRuntimeAsyncClient.builder(), t.server.port());
    }

    static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C configure(B b, int port) {
        return b.endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
                .build();
    }

    @AfterAll
    static void stop() {
        sync.close();
        async.close();
        t.close();
    }

    @Test
    void invokeEndpointReturnsTheContainersAnswerWithSageMakersHeaders() {
        InvokeEndpointResponse r = sync.invokeEndpoint(b -> b.endpointName(ENDPOINT)
                .contentType("application/json").accept("application/json").customAttributes("trace=1")
                .body(SdkBytes.fromUtf8String("{\"inputs\":\"Hello\",\"parameters\":{\"max_new_tokens\":5}}")));
        JsonNode body = TestServer.json(r.body().asUtf8String());
        assertThat(body.isArray()).isTrue();
        assertThat(body.get(0).get("generated_text").asText()).startsWith("Hello");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.invokedProductionVariant()).isEqualTo("AllTraffic");
    }

    @Test
    void anUnknownEndpointIsAValidationError() {
        assertThatThrownBy(() -> sync.invokeEndpoint(b -> b.endpointName("nope").contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputs\":\"x\"}"))))
                .isInstanceOfSatisfying(ValidationErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Endpoint nope of account 000000000000 not found.");
                });
    }

    @Test
    void aContainerClientErrorIsAModelErrorQuotingItsStatusAndBody() {
        assertThatThrownBy(() -> sync.invokeEndpoint(b -> b.endpointName(ENDPOINT).contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputs\":\"x\",\"parameters\":{\"temperature\":-1}}"))))
                .isInstanceOfSatisfying(ModelErrorException.class, e -> {
                    String original = "{\"error\":\"Input validation error: `temperature` must be strictly positive\","
                            + "\"error_type\":\"validation\"}";
                    assertThat(e.statusCode()).isEqualTo(424);
                    assertThat(e.originalStatusCode()).isEqualTo(422);
                    assertThat(e.originalMessage()).isEqualTo(original);
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                            "Received client error (422) from primary with message \"" + original + "\". See https://");
                    assertThat(e.logStreamArn()).endsWith("/aws/sagemaker/Endpoints/" + ENDPOINT);
                });
    }

    @Test
    void anOverloadedContainerIsAThrottlingException() throws Exception {
        HttpResponse<InputStream> a = t.postStreaming("/generate_stream", "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}");
        HttpResponse<InputStream> b = t.postStreaming("/generate_stream", "{\"inputs\":\"b\",\"parameters\":{\"max_new_tokens\":1500}}");
        try (InputStream ina = a.body(); InputStream inb = b.body()) {
            SseEvents.read(ina, 1);
            SseEvents.read(inb, 1);
            assertThatThrownBy(() -> sync.invokeEndpoint(r -> r.endpointName(ENDPOINT).contentType("application/json")
                    .body(SdkBytes.fromUtf8String("{\"inputs\":\"x\"}"))))
                    .isInstanceOfSatisfying(SageMakerRuntimeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
        }
        SchedulingTest.waitUntil(() -> t.server.scheduler().batchSize() == 0, 5000);
    }

    @Test
    void theResponseStreamCarriesTheContainersSseBytesInPayloadParts() throws Exception {
        String request = "{\"inputs\":\"Hello\",\"parameters\":{\"max_new_tokens\":6}}";
        String expected = TestServer.json(sync.invokeEndpoint(b -> b.endpointName(ENDPOINT).contentType("application/json")
                .body(SdkBytes.fromUtf8String(request))).body().asUtf8String()).get(0).get("generated_text").asText();

        Streamed s = stream("{\"inputs\":\"Hello\",\"parameters\":{\"max_new_tokens\":6},\"stream\":true}");
        s.done.get(30, TimeUnit.SECONDS);
        assertThat(s.response.contentType()).isEqualTo("text/event-stream");
        assertThat(s.response.invokedProductionVariant()).isEqualTo("AllTraffic");
        assertThat(s.parts).isGreaterThanOrEqualTo(6);
        List<String> events = SseEvents.parse(s.bytes.toString(StandardCharsets.UTF_8));
        assertThat(events).hasSize(6);
        assertThat(TestServer.json(events.getLast()).get("generated_text").asText()).isEqualTo(expected);
    }

    @Test
    void aContainerErrorBeforeTheStreamIsAModelError() {
        Streamed s = stream("{\"inputs\": 3}");
        assertThatThrownBy(() -> s.done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ModelErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(424);
                    assertThat(e.originalStatusCode()).isEqualTo(422);
                });
    }

    @Test
    void aStreamPastTheInvocationTimeoutEndsWithAModelStreamError() throws Exception {
        try (TestServer slow = new TestServer(o -> o,
                SageMakerEndpoint.named(ENDPOINT).withInvocationTimeout(Duration.ofMillis(500)));
             SageMakerRuntimeAsyncClient c = configure(SageMakerRuntimeAsyncClient.builder(), slow.server.port())) {
            Streamed s = stream(c, "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500},\"stream\":true}");
            assertThatThrownBy(() -> s.done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ModelStreamErrorException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("ModelInvocationTimeExceeded"));
            assertThat(s.parts).isPositive();
            SchedulingTest.waitUntil(() -> slow.server.scheduler().batchSize() == 0, 5000);
        }
    }

    private static final class Streamed {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile int parts;
        volatile InvokeEndpointWithResponseStreamResponse response;
        CompletableFuture<Void> done;
    }

    private static Streamed stream(String body) {
        return stream(async, body);
    }

    private static Streamed stream(SageMakerRuntimeAsyncClient client, String body) {
        Streamed s = new Streamed();
        InvokeEndpointWithResponseStreamResponseHandler handler = InvokeEndpointWithResponseStreamResponseHandler.builder()
                .onResponse(r -> s.response = r)
                .subscriber(InvokeEndpointWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadPart(p -> {
                            synchronized (s.bytes) {
                                s.bytes.writeBytes(p.bytes().asByteArray());
                            }
                            s.parts++;
                        }).build())
                .build();
        s.done = client.invokeEndpointWithResponseStream(InvokeEndpointWithResponseStreamRequest.builder()
                .endpointName(ENDPOINT).contentType("application/json").accept("text/event-stream")
                .body(SdkBytes.fromUtf8String(body)).build(), handler);
        return s;
    }
}
