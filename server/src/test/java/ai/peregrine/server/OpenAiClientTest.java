package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The /v1 routes driven by a real OpenAI client library (LangChain4j's OpenAI module), stream and non-stream. */
class OpenAiClientTest {
    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(o -> o);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static String baseUrl() {
        return t.uri("/v1").toString();
    }

    @Test
    void chatCompletionThroughTheClientLibrary() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("unused").modelName("demo")
                .maxTokens(12).temperature(0.7).seed(7).build();
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("Where is Munich?")).build());
        assertThat(r.aiMessage().text()).isNotNull();
        assertThat(r.tokenUsage().outputTokenCount()).isBetween(1, 12);
        assertThat(r.tokenUsage().inputTokenCount()).isPositive();
        // the same seed gives the same answer
        ChatResponse again = model.chat(ChatRequest.builder().messages(UserMessage.from("Where is Munich?")).build());
        assertThat(again.aiMessage().text()).isEqualTo(r.aiMessage().text());
    }

    @Test
    void streamingChatDeliversPartsThatAddUpToTheAnswer() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(baseUrl()).apiKey("unused")
                .modelName("demo").maxTokens(10).temperature(0.7).seed(7).build();
        StringBuilder parts = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(UserMessage.from("Where is Munich?")).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                parts.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse r = done.get(60, TimeUnit.SECONDS);
        assertThat(parts.toString()).isNotEmpty().isEqualTo(r.aiMessage().text());

        OpenAiChatModel plain = OpenAiChatModel.builder().baseUrl(baseUrl()).apiKey("unused").modelName("demo")
                .maxTokens(10).temperature(0.7).seed(7).build();
        assertThat(plain.chat(ChatRequest.builder().messages(UserMessage.from("Where is Munich?")).build()).aiMessage().text())
                .as("streamed and non-streamed answers agree under a fixed seed").isEqualTo(r.aiMessage().text());
    }
}
