package ai.peregrine.server.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/** Our frames decoded by the AWS SDK's own event-stream decoder (it checks both CRC32s). */
class EventStreamEncoderTest {

    @Test
    void payloadPartsAndExceptionsDecodeWithTheSdkDecoder() {
        List<Message> decoded = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(decoded::add);
        byte[] a = EventStreamEncoder.payloadPart("data:{\"x\":1}\n\n".getBytes(StandardCharsets.UTF_8));
        byte[] b = EventStreamEncoder.exception("ModelStreamError", "{\"Message\":\"m\",\"ErrorCode\":\"StreamBroken\"}");
        ByteBuffer both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).flip();
        // fed in two uneven pieces, as the network may deliver them
        decoder.feed(both.slice(0, 7));
        decoder.feed(both.slice(7, both.limit() - 7));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0).getHeaders().get(":event-type").getString()).isEqualTo("PayloadPart");
        assertThat(decoded.get(0).getHeaders().get(":message-type").getString()).isEqualTo("event");
        assertThat(new String(decoded.get(0).getPayload(), StandardCharsets.UTF_8)).isEqualTo("data:{\"x\":1}\n\n");
        assertThat(decoded.get(1).getHeaders().get(":exception-type").getString()).isEqualTo("ModelStreamError");
        assertThat(decoded.get(1).getHeaders().get(":message-type").getString()).isEqualTo("exception");
    }

    @Test
    void endpointNamesDerivedFromModelIdsAreValid() {
        assertThat(SageMakerEndpoint.forModel("tiiuae/falcon-7b-instruct_Q4.0").name()).isEqualTo("tiiuae-falcon-7b-instruct-Q4-0");
        assertThat(SageMakerEndpoint.forModel("__").name()).isEqualTo("peregrine");
        assertThat(SageMakerEndpoint.forModel("x".repeat(80)).name()).hasSize(63);
    }

    @Test
    void containerServerErrorsAreReportedAsServerErrors() {
        RuntimeError e = RuntimeError.modelError("ep", 500, "boom");
        assertThat(e.status()).isEqualTo(424);
        assertThat(e.body().get("Message").asText()).startsWith("Received server error (500) from primary with message \"boom\". See https://");
        assertThat(e.body().get("OriginalStatusCode").asInt()).isEqualTo(500);
    }
}
