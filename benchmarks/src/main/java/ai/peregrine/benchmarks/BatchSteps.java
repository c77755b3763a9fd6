package ai.peregrine.benchmarks;

import ai.peregrine.engine.model.BatchDecoder;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.model.TransformerModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batched decode steps without the server: what continuous batching can give at most. For each batch size, sequences
 * decode {@code STEPS} tokens from position 0 through one {@link BatchDecoder}; rounds interleave the batch sizes
 * (the host is noisy) and the medians are printed as one JSON object, with each size's tokens/s against batch 1.
 * {@code java -cp peregrine-benchmarks.jar ai.peregrine.benchmarks.BatchSteps MODEL.gguf [THREADS] [BATCHES] [STEPS] [ROUNDS]}
 * (BATCHES comma-separated, default 1,4,8).
 */
public final class BatchSteps {
    private BatchSteps() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int[] batches = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 4, 8};
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int widest = Arrays.stream(batches).max().orElseThrow();
        try (TransformerModel model = ModelLoader.load(file, LoadOptions.threads(threads))) {
            BatchDecoder decoder = model.newBatchDecoder(widest);
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < widest; i++) sessions.add(model.newSession(steps + 1));
            for (int b : batches) stepMillis(decoder, sessions.subList(0, b), steps); // warm-up: C2 compiles each path
            double[][] millis = new double[batches.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < batches.length; i++) millis[i][r] = stepMillis(decoder, sessions.subList(0, batches[i]), steps);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", file.getFileName().toString());
            out.put("threads", threads);
            out.put("steps", steps);
            out.put("rounds", rounds);
            List<Map<String, Object>> rows = new ArrayList<>();
            double single = 0;
            for (int i = 0; i < batches.length; i++) {
                double ms = median(millis[i]);
                double tokensPerSecond = batches[i] * 1000.0 / ms;
                if (batches[i] == 1) single = tokensPerSecond;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("batch", batches[i]);
                row.put("ms_per_step", round(ms));
                row.put("tokens_per_s", round(tokensPerSecond));
                row.put("vs_batch_1", single > 0 ? round(tokensPerSecond / single) : null);
                row.put("ms_per_step_rounds", Arrays.stream(millis[i]).map(BatchSteps::round).toArray());
                rows.add(row);
            }
            out.put("batches", rows);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
    }

    /** Median milliseconds per step of {@code steps} batched steps from position 0. */
    private static double stepMillis(BatchDecoder decoder, List<Session> sessions, int steps) {
        for (Session s : sessions) s.truncate(0);
        int[] next = new int[sessions.size()];
        double[] each = new double[steps];
        for (int i = 0; i < steps; i++) {
            for (int j = 0; j < next.length; j++) next[j] = 10 + 7 * i + j;
            long start = System.nanoTime();
            decoder.decode(sessions, next);
            each[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(each);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
