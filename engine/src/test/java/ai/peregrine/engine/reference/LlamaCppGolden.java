package ai.peregrine.engine.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.peregrine.engine.model.LanguageModel;
import ai.peregrine.engine.model.Session;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A llama.cpp golden file (tools/oracle/regen-reference.sh): for every prompt, llama.cpp's token ids, top-K
 * log-probabilities at every prompt position (the prompt evaluated in one batch) and at every greedy step (its
 * continuation fed back one token at a time), and its greedy continuation.
 */
final class LlamaCppGolden {
    private final String name;
    private final Map<String, Object> golden;

    private LlamaCppGolden(String name, Map<String, Object> golden) {
        this.name = name;
        this.golden = golden;
    }

    /** The golden names (file names without .json) in a resource directory. */
    static Stream<String> names(String resourceDir) throws Exception {
        Path dir = Path.of(LlamaCppGolden.class.getResource(resourceDir).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    @SuppressWarnings("unchecked")
    static LlamaCppGolden read(String resourceDir, String name) throws Exception {
        Path file = Path.of(LlamaCppGolden.class.getResource(resourceDir + "/" + name + ".json").toURI());
        return new LlamaCppGolden(name, new ObjectMapper().readValue(Files.readString(file), Map.class));
    }

    /** Fails unless {@code file} is the model file llama.cpp saw. */
    void assertSameModelFile(Path file) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(golden.get("sha256"), sha, name + ": the model generator changed; rerun tools/oracle/regen-reference.sh");
    }

    /**
     * Checks {@code model} against the golden: identical token ids, log-probabilities of llama.cpp's top-K within
     * {@code tol} everywhere, and the same greedy token wherever llama.cpp's top-1/top-2 gap exceeds {@code tol}.
     * Returns the largest difference seen.
     */
    @SuppressWarnings("unchecked")
    double check(LanguageModel model, double tol) {
        double worst = 0;
        for (Map<String, Object> c : (List<Map<String, Object>>) golden.get("cases")) {
            String prompt = (String) c.get("prompt");
            int[] promptIds = ints((List<Object>) c.get("prompt_tokens"));
            assertArrayEquals(promptIds, model.tokenizer().encode(prompt, false, true), name + ": tokens of " + prompt);
            int[] generated = ints((List<Object>) c.get("generated"));
            int[] all = new int[promptIds.length + generated.length];
            System.arraycopy(promptIds, 0, all, 0, promptIds.length);
            System.arraycopy(generated, 0, all, promptIds.length, generated.length);
            // as llama.cpp made the goldens: the prompt in one batch (prefill kernels), then one token at a time (decode kernels)
            float[][] logits = new float[all.length][model.config().vocabSize()];
            try (Session session = model.newSession(256)) {
                session.forward(promptIds, 0, promptIds.length, logits);
                for (int j = promptIds.length; j < all.length; j++) {
                    session.forward(all, j, 1, null);
                    logits[j] = session.logits().clone();
                }
            }
            List<List<List<Object>>> positions = (List<List<List<Object>>>) c.get("positions");
            List<List<List<Object>>> steps = (List<List<List<Object>>>) c.get("steps");
            for (int j = 0; j < all.length - 1; j++) {
                List<List<Object>> top = j < promptIds.length ? positions.get(j) : steps.get(j - promptIds.length + 1);
                double[] logProbs = logSoftmax(logits[j]);
                String where = name + " \"" + prompt + "\" position " + j;
                for (List<Object> entry : top) {
                    int id = ((Number) entry.get(0)).intValue();
                    double diff = Math.abs(logProbs[id] - ((Number) entry.get(1)).doubleValue());
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= tol, where + " token " + id + ": Peregrine " + logProbs[id] + " llama.cpp " + entry.get(1));
                }
                double gap = ((Number) top.get(0).get(1)).doubleValue() - ((Number) top.get(1).get(1)).doubleValue();
                if (j >= promptIds.length - 1 && gap > tol) {
                    assertEquals(all[j + 1], argmax(logits[j]), where + ": greedy token (llama.cpp gap " + gap + ")");
                }
            }
        }
        return worst;
    }

    private static int[] ints(List<Object> xs) {
        return xs.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        double lse = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - lse;
        return out;
    }

    private static int argmax(float[] xs) {
        int best = 0;
        for (int i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
        return best;
    }
}
