package ai.peregrine.cli;

import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.model.TransformerModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prefill and decode speed, measured like llama.cpp's bench: prefill of one prompt of --prompt-tokens
 * pseudo-random ordinary tokens into an empty cache; decode of --new-tokens greedy-free steps from a
 * one-token prompt, timed from the second token. A warm-up repetition pages the weights in and lets
 * the JIT compile; the figures are medians over the repetitions after it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure prefill and decode tokens/s.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length for prefill (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", description = "Tokens to decode (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--reps", defaultValue = "3", description = "Measured repetitions after one warm-up (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || newTokens < 2 || reps < 1) {
            throw new IllegalArgumentException("--prompt-tokens must be >= 1, --new-tokens >= 2 and --reps >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (TransformerModel model = modelOptions.open(spec.commandLine().getErr())) {
            int ctx = Math.min(model.config().contextLength(), Math.max(promptTokens, newTokens) + 1);
            Session session = model.newSession(ctx);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            int[] prompt = pseudoRandomTokens(model.config().vocabSize(), promptTokens);
            double[] prefill = new double[reps];
            double[] decode = new double[reps];
            for (int r = -1; r < reps; r++) {
                session.truncate(0);
                long a = System.nanoTime();
                session.forward(prompt, 0, promptTokens, null);
                double p = promptTokens / ((System.nanoTime() - a) / 1e9);
                double d = decodeRate(session, prompt[0]);
                if (r >= 0) {
                    prefill[r] = p;
                    decode[r] = d;
                }
            }
            double prefillMedian = median(prefill);
            double decodeMedian = median(decode);
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("model", model.file().source());
                o.put("architecture", model.config().architecture().ggufName);
                o.put("threads", model.threads());
                o.put("prompt_tokens", promptTokens);
                o.put("new_tokens", newTokens);
                o.put("load_s", round(loadSeconds));
                o.put("prefill_tokens_per_s", round(prefillMedian));
                o.put("decode_tokens_per_s", round(decodeMedian));
                o.putPOJO("prefill_runs", Arrays.stream(prefill).map(BenchCommand::round).toArray());
                o.putPOJO("decode_runs", Arrays.stream(decode).map(BenchCommand::round).toArray());
                out.println(new ObjectMapper().writeValueAsString(o));
            } else {
                out.printf("model %s (%s), %d threads, loaded in %.2f s%n", model.file().source(),
                        model.config().architecture().ggufName, model.threads(), loadSeconds);
                out.printf("prefill (%d tokens): %.2f tokens/s%n", promptTokens, prefillMedian);
                out.printf("decode  (%d tokens): %.2f tokens/s%n", newTokens, decodeMedian);
            }
            out.flush();
        }
        return 0;
    }

    /** Feeds each step's argmax back in, like a greedy run, timing steps 2..n. */
    private double decodeRate(Session session, int first) {
        session.truncate(0);
        int[] tok = {first};
        session.forward(tok, 0, 1, null);
        long start = System.nanoTime();
        for (int i = 1; i < newTokens; i++) {
            tok[0] = argmax(session.logits());
            session.forward(tok, 0, 1, null);
        }
        return (newTokens - 1) / ((System.nanoTime() - start) / 1e9);
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    /** Ordinary tokens spread over the vocabulary, skipping the low ids where specials and bytes live. */
    static int[] pseudoRandomTokens(int vocab, int n) {
        int lo = Math.min(300, vocab - 1);
        int span = Math.max(1, Math.min(vocab, 30000) - lo);
        long s = 12345;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            s = (s * 1103515245L + 12345L) & 0xFFFFFFFFL;
            ids[i] = lo + (int) (s * span >>> 32);
        }
        return ids;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
