package ai.peregrine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Admission (429, with no memory growth), cancellation on disconnect, chunked prefill between decode steps, and
 * continuous batching giving the same tokens as runs alone.
 */
class SchedulingTest {

    @Test
    void pastMaxConcurrentRequestsTheAnswerIs429AndPingStaysFast() throws Exception {
        try (TestServer t = new TestServer(o -> o.withMaxConcurrentRequests(1))) {
            HttpResponse<InputStream> longRun = t.postStreaming("/generate_stream",
                    "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}");
            try (InputStream in = longRun.body()) {
                assertThat(SseEvents.read(in, 1)).hasSize(1); // admitted and generating
                HttpResponse<String> r = t.post("/generate", "{\"inputs\":\"b\",\"parameters\":{\"max_new_tokens\":2}}");
                assertThat(r.statusCode()).isEqualTo(429);
                JsonNode e = TestServer.json(r.body());
                assertThat(e.get("error").asText()).isEqualTo("Model is overloaded");
                assertThat(e.get("error_type").asText()).isEqualTo("overloaded");
                List<String> s = SseEvents.parse(t.post("/generate_stream", "{\"inputs\":\"b\"}").body());
                assertThat(TestServer.json(s.getFirst()).get("error_type").asText()).isEqualTo("overloaded");

                long start = System.nanoTime();
                assertThat(t.get("/ping").statusCode()).isEqualTo(200);
                assertThat((System.nanoTime() - start) / 1e6).isLessThan(500);
            }
            waitUntil(() -> t.server.scheduler().batchSize() == 0, 5000);
            assertThat(t.post("/generate", "{\"inputs\":\"b\",\"parameters\":{\"max_new_tokens\":2}}").statusCode()).isEqualTo(200);
            assertThat(t.get("/metrics").body()).containsPattern("(?m)^tgi_request_failure\\{err=\"overloaded\"} 2$");
        }
    }

    @Test
    void aBurstFarPastTheLimitIsRefusedWithoutGrowingMemory() throws Exception {
        try (TestServer t = new TestServer(o -> o.withMaxConcurrentRequests(2))) {
            String longPrompt = "{\"inputs\":\"" + "overload ".repeat(400) + "\",\"parameters\":{\"max_new_tokens\":4}}";
            burst(t, longPrompt, 40); // warm-up: JIT, connection pools, metric series
            long before = usedHeapAfterGc();
            int[] codes = burst(t, longPrompt, 400);
            long after = usedHeapAfterGc();

            int ok = 0, refused = 0;
            for (int c : codes) {
                if (c == 200) ok++;
                else if (c == 429) refused++;
            }
            assertThat(ok + refused).as("every answer is 200 or 429").isEqualTo(codes.length);
            assertThat(refused).as("most of a 400-request burst is refused at once").isGreaterThan(300);
            assertThat(ok).isPositive();
            // the KV caches are made once, at start: refused or finished requests leave nothing behind
            assertThat(after - before).as("heap growth over the burst, bytes").isLessThan(24L << 20);
            waitUntil(() -> t.server.scheduler().queueSize() == 0 && t.server.scheduler().batchSize() == 0, 10_000);
            assertThat(t.post("/generate", "{\"inputs\":\"after\",\"parameters\":{\"max_new_tokens\":2}}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLongPromptIsPrefilledInChunksBetweenTheDecodeStepsOfRunningStreams() throws Exception {
        try (TestServer t = new TestServer(o -> o)) {
            // the reader thread appends while the test counts: a snapshot-iterating list, not a synchronized wrapper
            List<Long> runningTokenTimes = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpResponse<InputStream> running = t.postStreaming("/generate_stream",
                    "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":1500}}");
            Thread reader = Thread.ofPlatform().start(() -> {
                try (InputStream in = running.body()) {
                    java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("data:")) runningTokenTimes.add(System.nanoTime());
                    }
                } catch (java.io.IOException ignored) {
                    // the stream is closed when the test ends
                }
            });
            waitUntil(() -> runningTokenTimes.size() >= 2, 5000);
            String prompt = "chunked prefill ".repeat(120); // several hundred tokens: several chunks
            int promptTokens = t.model.tokenizer().encode(prompt, true, false).length;
            assertThat(promptTokens).isGreaterThan(3 * ai.peregrine.server.inference.InferenceScheduler.PREFILL_CHUNK);

            long submitted = System.nanoTime();
            HttpResponse<InputStream> longOne = t.postStreaming("/generate_stream",
                    "{\"inputs\":\"" + prompt + "\",\"parameters\":{\"max_new_tokens\":1}}");
            long firstToken;
            try (InputStream in = longOne.body()) {
                assertThat(SseEvents.read(in, 1)).hasSize(1);
                firstToken = System.nanoTime();
            }
            long during = runningTokenTimes.stream().filter(x -> x > submitted && x < firstToken).count();
            // one chunk between two decode steps: the running stream keeps getting tokens during the prefill
            assertThat(during).as("tokens of the running stream during the other prompt's prefill").isGreaterThanOrEqualTo(2);
            running.body().close();
            reader.join(5000);
        }
    }

    private static int[] burst(TestServer t, String body, int n) throws Exception {
        int[] codes = new int[n];
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) fs.add(pool.submit(() -> t.post("/generate", body).statusCode()));
            for (int i = 0; i < n; i++) codes[i] = fs.get(i).get();
        }
        return codes;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aClientThatDisconnectsHasItsGenerationStopped() throws Exception {
        try (TestServer t = new TestServer(o -> o)) {
            String body = "{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":2000}}";
            long start;
            try (Socket socket = new Socket("127.0.0.1", t.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /generate_stream HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String seen = "";
                byte[] buf = new byte[4096];
                while (count(seen, "data:") < 3) {
                    int n = in.read(buf);
                    assertThat(n).isPositive();
                    seen += new String(buf, 0, n, StandardCharsets.UTF_8);
                }
                assertThat(t.server.scheduler().batchSize()).isEqualTo(1);
                start = System.nanoTime();
            }
            // 2000 tokens take several seconds on the demo model; a cancelled sequence leaves at the next step.
            waitUntil(() -> t.server.scheduler().batchSize() == 0, 3000);
            assertThat((System.nanoTime() - start) / 1e6).isLessThan(3000);
            waitUntil(() -> t.get("/metrics").body().contains("tgi_request_failure{err=\"cancelled\"} 1"), 3000);
            assertThat(t.get("/metrics").body()).doesNotContainPattern("(?m)^tgi_request_success [1-9]");
        }
    }

    @Test
    void concurrentStreamsGiveTheTokensTheyGiveAloneGreedyAndSeeded() throws Exception {
        try (TestServer t = new TestServer(o -> o)) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String params = i % 2 == 0
                        ? "\"max_new_tokens\":" + (20 + 3 * i)
                        : "\"max_new_tokens\":" + (20 + 3 * i) + ",\"do_sample\":true,\"temperature\":0.9,\"top_k\":40,\"seed\":" + (1000 + i);
                String words = i == 7 ? "long prompt, prefilled in several chunks ".repeat(30) : "x ".repeat(i);
                bodies.add("{\"inputs\":\"prompt number " + i + " " + words + "\",\"parameters\":{" + params + "}}");
            }
            List<List<Integer>> alone = new ArrayList<>();
            for (String b : bodies) alone.add(streamTokens(t, b));

            AtomicInteger maxBatch = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    maxBatch.accumulateAndGet(t.server.scheduler().batchSize(), Math::max);
                    Thread.onSpinWait();
                }
            });
            List<List<Integer>> together = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<List<Integer>>> futures = new ArrayList<>();
                for (String b : bodies) futures.add(pool.submit(() -> streamTokens(t, b)));
                for (Future<List<Integer>> f : futures) together.add(f.get());
            } finally {
                done.set(true);
                watcher.join();
            }
            assertThat(together).isEqualTo(alone);
            for (int i = 0; i < 8; i++) assertThat(alone.get(i)).hasSize(20 + 3 * i);
            assertThat(maxBatch.get()).as("sequences decoded in one batch").isGreaterThan(1);
        }
    }

    @Test
    void greedyGenerateRequestsRunConcurrentlyMatchTheEngine() throws Exception {
        try (TestServer t = new TestServer(o -> o)) {
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(CompletableFuture.supplyAsync(
                        () -> t.post("/generate", "{\"inputs\":\"greedy " + "y".repeat(3) + "\",\"parameters\":{\"max_new_tokens\":12}}")));
            }
            String expected;
            try (var s = t.model.newSession(t.model.config().contextLength())) {
                expected = new ai.peregrine.engine.generate.Generator(t.model.tokenizer()).generate(s,
                        ai.peregrine.engine.generate.GenerationRequest.text("greedy yyy").maxNewTokens(12).build()).generatedText();
            }
            for (var f : futures) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(TestServer.json(r.body()).get("generated_text").asText()).isEqualTo(expected);
            }
        }
    }

    private static List<Integer> streamTokens(TestServer t, String body) {
        HttpResponse<String> r = t.post("/generate_stream", body);
        List<Integer> ids = new ArrayList<>();
        for (String e : SseEvents.parse(r.body())) {
            JsonNode j = TestServer.json(e);
            assertThat(j.has("error")).as(e).isFalse();
            ids.add(j.get("token").get("id").asInt());
        }
        return ids;
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not met in " + millis + " ms");
            Thread.sleep(10);
        }
    }
}
