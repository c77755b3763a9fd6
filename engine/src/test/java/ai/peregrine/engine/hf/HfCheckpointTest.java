package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.peregrine.engine.convert.GgufConverter;
import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.model.TransformerModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peregrine on a Hugging Face directory against transformers' semantics ({@link HfReferenceForward}) and against its own
 * converted GGUF files: the checkpoint seen directly, converted to f32, to its own bf16 (same bytes), and quantized
 * on load versus converted to the same type.
 */
class HfCheckpointTest {
    @TempDir
    Path tmp;

    static final int[] TOKENS = tokens(20, 512, 7);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hf-falcon7b", "hf-falcon40b", "hf-llama", "hf-mistral-tied"})
    void matchesTransformersSemantics(String name) throws Exception {
        Path dir = HfFixtures.write(name, tmp);
        double[][] reference = new HfReferenceForward(HfFixtures.spec(name)).logits(TOKENS);
        Path f32 = tmp.resolve(name + "-f32.gguf");
        try (HfCheckpoint ckpt = HfModelDirectory.open(dir)) {
            GgufConverter.write(ckpt, TargetType.F32, f32, 2, ProgressListener.NONE);
        }
        // f32 weights: summation order, float RoPE angles and, for Falcon, ggml's f16 GELU table and f16-rounded Q in
        // attention set the differences (seen: llama 3.4e-6, falcon 2.8e-3); a wrong QKV or Q/K row layout gives > 1
        float[][] f32Logits = logitsAndClose(ModelLoader.load(f32, 2));
        double f32Worst = maxLogProbDiff(reference, f32Logits);
        assertTrue(f32Worst < (name.startsWith("hf-falcon") ? 6e-3 : 1e-4), name + " f32 GGUF vs reference: " + f32Worst);
        // the checkpoint's own 16-bit weights, with activations rounded to that grid as ggml does (seen: 0.015 to 0.042)
        float[][] directLogits = logitsAndClose(ModelLoader.load(HfModelDirectory.open(dir), 2));
        double directWorst = maxLogProbDiff(reference, directLogits);
        assertTrue(directWorst < 0.1, name + " HF directory vs reference: " + directWorst);
        double[][] f32AsReference = new double[f32Logits.length][];
        for (int t = 0; t < f32Logits.length; t++) f32AsReference[t] = toDouble(f32Logits[t]);
        double directVsF32 = maxLogProbDiff(f32AsReference, directLogits);
        assertTrue(directVsF32 < 0.1, name + " HF directory vs its f32 GGUF: " + directVsF32);
        System.out.printf("%s: max |dlogprob| vs transformers semantics: f32 GGUF %.3g, HF directory %.3g; HF directory vs f32 GGUF %.3g%n",
                name, f32Worst, directWorst, directVsF32);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hf-falcon7b", "hf-falcon40b", "hf-llama"})
    void directoryComputesWhatItsBf16ConversionComputes(String name) throws Exception {
        Path dir = HfFixtures.write(name, tmp);
        Path bf16 = tmp.resolve(name + "-bf16.gguf");
        try (HfCheckpoint ckpt = HfModelDirectory.open(dir)) {
            GgufConverter.write(ckpt, TargetType.BF16, bf16, 2, ProgressListener.NONE);
        }
        try (GgufFile file = GgufFile.open(bf16)) {
            assertEquals(GgmlType.BF16, file.tensor("blk.0.ffn_up.weight").type());
            assertEquals(GgmlType.F32, file.tensor("blk.0.attn_norm.weight").type());
        }
        try (TransformerModel direct = ModelLoader.load(HfModelDirectory.open(dir), 2);
                TransformerModel converted = ModelLoader.load(bf16, 2)) {
            assertSameTensors(converted, direct);
            assertSameLogits(converted, direct, name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"q8_0", "q4_0"})
    void quantizingOnLoadEqualsLoadingTheConvertedFile(String type) throws Exception {
        TargetType target = TargetType.parse(type);
        for (String name : List.of("hf-falcon7b", "hf-llama")) {
            Path dir = HfFixtures.write(name, tmp);
            Path converted = tmp.resolve(name + "-" + type + ".gguf");
            try (HfCheckpoint ckpt = HfModelDirectory.open(dir)) {
                GgufConverter.write(ckpt, target, converted, 2, ProgressListener.NONE);
            }
            List<Long> progress = new ArrayList<>();
            LoadOptions options = LoadOptions.threads(2).withQuantize(target).withProgress((task, done, total) -> {
                assertEquals("quantizing to " + type, task);
                progress.add(done);
                assertTrue(done <= total);
            });
            // as stored: the same tensor bytes and logits as the converted file, both in the file's layout
            try (TransformerModel onLoad = ModelLoader.load(HfModelDirectory.open(dir), options.withRepack(false));
                    TransformerModel fromFile = ModelLoader.load(converted, LoadOptions.threads(2).withRepack(false))) {
                assertEquals(target.matrixType, onLoad.file().tensor("blk.0.ffn_up.weight").type());
                assertEquals(GgmlType.Q8_0, onLoad.file().tensor("output.weight").type(), "the output matrix stays 8-bit");
                assertTrue(progress.size() > 1 && progress.getLast() > 0, "progress reported: " + progress);
                assertSameTensors(fromFile, onLoad);
                assertSameLogits(fromFile, onLoad, name + " " + type);
            }
            // repacked (the default): the same logits, and the quantized copy of a repacked matrix is given back
            try (TransformerModel onLoad = ModelLoader.load(HfModelDirectory.open(dir), options);
                    TransformerModel fromFile = ModelLoader.load(converted, 2)) {
                assertSameLogits(fromFile, onLoad, name + " " + type + " repacked");
                var up = onLoad.file().tensor("blk.0.ffn_up.weight");
                if (up.type() == GgmlType.Q4_0) {
                    assertThrows(IllegalStateException.class, () -> onLoad.file().tensorData(up), "released after repacking");
                }
            }
        }
    }

    /** Teacher-forced logits of {@link #TOKENS}. */
    static float[][] logits(TransformerModel model) {
        try (Session session = model.newSession(64)) {
            float[][] out = new float[TOKENS.length][model.config().vocabSize()];
            session.forward(TOKENS, 0, TOKENS.length, out);
            return out;
        }
    }

    /** Teacher-forced logits of {@link #TOKENS}; closes the model. */
    static float[][] logitsAndClose(TransformerModel model) {
        try (model) {
            return logits(model);
        }
    }

    static void assertSameTensors(TransformerModel expected, TransformerModel actual) {
        var a = expected.file();
        var b = actual.file();
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (var t : a.tensors().values()) {
            var u = b.tensor(t.name());
            assertEquals(t.type(), u.type(), t.name());
            assertArrayEquals(t.shape(), u.shape(), t.name());
            assertEquals(-1, a.tensorData(t).mismatch(b.tensorData(u)), t.name() + " bytes");
        }
    }

    /** Bit-identical logits (the kernels sum in a fixed order whether the JIT has compiled them or not). */
    static void assertSameLogits(TransformerModel expected, TransformerModel actual, String what) {
        float[][] a = logits(expected), b = logits(actual);
        for (int t = 0; t < a.length; t++) assertArrayEquals(a[t], b[t], 0f, what + " position " + t);
    }

    /** Max |Δ log-probability| over the reference's top 8 tokens at each position, as the llama.cpp reference tests measure. */
    static double maxLogProbDiff(double[][] reference, float[][] logits) {
        double worst = 0;
        for (int t = 0; t < reference.length; t++) {
            double[] a = logSoftmax(reference[t]), b = logSoftmax(toDouble(logits[t]));
            Integer[] order = new Integer[a.length];
            for (int i = 0; i < a.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y], a[x]));
            for (int k = 0; k < 8; k++) worst = Math.max(worst, Math.abs(a[order[k]] - b[order[k]]));
        }
        return worst;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) max = Math.max(max, v);
        double sum = 0;
        for (double v : x) sum += Math.exp(v - max);
        double lse = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - lse;
        return out;
    }

    static int[] tokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
        return t;
    }

}
