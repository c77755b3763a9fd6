package ai.peregrine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A load generator for a running endpoint, reporting what vLLM's serving benchmark reports: requests/s, output
 * tokens/s, time to first token and inter-token latency (mean, p50, p99). Each client streams from TGI's
 * {@code /generate_stream} so every token's arrival is timed; {@code --concurrency} clients run back to back.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true, description = "Load-test a running endpoint (TGI /generate_stream).")
final class BenchServeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Endpoint base URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--concurrency", defaultValue = "1", description = "Clients sending requests at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "8", description = "Requests in all (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens per request (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--prompt", defaultValue = "Where is Munich? and is it beautiful?", description = "Prompt (a request number is appended).")
    String prompt;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    /** One request's timeline: send time, token arrival times (ns). */
    record Trace(long start, List<Long> tokens) {}

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || requests < 1 || maxNewTokens < 1) {
            throw new IllegalArgumentException("--concurrency, --requests and --max-new-tokens must be at least 1");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<Trace> traces = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String body = JSON.writeValueAsString(JSON.createObjectNode().put("inputs", prompt + " #" + i)
                        .set("parameters", JSON.createObjectNode().put("max_new_tokens", maxNewTokens)));
                futures.add(clients.submit(() -> traces.add(stream(http, body))));
            }
            for (Future<?> f : futures) f.get();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        report(traces, wall);
        return 0;
    }

    private Trace stream(HttpClient http, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(url.resolve("/generate_stream")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + " from " + req.uri());
        List<Long> tokens = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data:")) continue;
                JsonNode event = JSON.readTree(line.substring(5));
                if (event.has("error")) throw new IllegalStateException("stream error: " + event.get("error").asText());
                tokens.add(System.nanoTime());
            }
        }
        return new Trace(start, tokens);
    }

    private void report(List<Trace> traces, double wall) throws Exception {
        List<Double> ttft = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        long outputTokens = 0;
        for (Trace t : traces) {
            outputTokens += t.tokens().size();
            if (t.tokens().isEmpty()) continue;
            ttft.add((t.tokens().getFirst() - t.start()) / 1e6);
            for (int i = 1; i < t.tokens().size(); i++) itl.add((t.tokens().get(i) - t.tokens().get(i - 1)) / 1e6);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode o = JSON.createObjectNode();
        o.put("url", url.toString());
        o.put("concurrency", concurrency);
        o.put("requests", traces.size());
        o.put("max_new_tokens", maxNewTokens);
        o.put("duration_s", round(wall));
        o.put("requests_per_s", round(traces.size() / wall));
        o.put("output_tokens", outputTokens);
        o.put("output_tokens_per_s", round(outputTokens / wall));
        o.set("ttft_ms", stats(ttft));
        o.set("itl_ms", stats(itl));
        if (json) {
            out.println(JSON.writeValueAsString(o));
        } else {
            out.printf("%d requests at concurrency %d in %.2f s: %.2f req/s, %.2f output tokens/s%n",
                    traces.size(), concurrency, wall, traces.size() / wall, outputTokens / wall);
            out.printf("TTFT ms  mean %.1f  p50 %.1f  p99 %.1f%n", o.get("ttft_ms").get("mean").asDouble(),
                    o.get("ttft_ms").get("p50").asDouble(), o.get("ttft_ms").get("p99").asDouble());
            out.printf("ITL  ms  mean %.1f  p50 %.1f  p99 %.1f%n", o.get("itl_ms").get("mean").asDouble(),
                    o.get("itl_ms").get("p50").asDouble(), o.get("itl_ms").get("p99").asDouble());
        }
        out.flush();
    }

    private static ObjectNode stats(List<Double> xs) {
        ObjectNode s = JSON.createObjectNode();
        if (xs.isEmpty()) return s;
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        s.put("mean", round(sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        s.put("p50", round(percentile(sorted, 50)));
        s.put("p99", round(percentile(sorted, 99)));
        return s;
    }

    /** Nearest-rank percentile of a sorted list. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
