package ai.peregrine.benchmarks;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.TokenPanels;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread's mat-vec (decode) and 8/64-token mat-mat (prefill) over a TinyLlama-sized 2048×2048 weight, per type.
 * The matrix is a random but valid block image in native memory; the score is time per call, so
 * bytes per second = rows × row bytes / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the launcher's flags: PrefillGemm's tile needs C2's loop strip mining, which Parallel GC leaves off by default
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC", "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000"})
public class MatVecBenchmark {
    static final int N = 2048;

    /** A ggml type, or Q4_0_REPACKED: Q4_0 as the model loader repacks it ({@code Q4_0x8Matrix}). */
    @Param({"Q8_0", "Q4_0", "Q4_0_REPACKED", "Q4_K", "Q5_K", "Q6_K", "F16"})
    public String type;

    WeightMatrix w;
    float[] x;
    float[] rounded;
    QuantizedActivations xq;
    QuantizedActivations batch;
    TokenPanels panels;
    float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = RandomBlocks.type(type);
        w = RandomBlocks.matrix(type, N, N, new SplittableRandom(1));
        x = new float[64 * N];
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        rounded = new float[x.length];
        xq = new QuantizedActivations(64, N);
        batch = new QuantizedActivations(4, N, true);
        // the activations' grid for the weight type, as a forward pass makes them (q8_K for the K-quants)
        if (t.blockSize == 256) xq.quantizeK(x, 64, N, rounded);
        else xq.quantize(x, 64, N, rounded);
        if (t.blockSize == 256) batch.quantizeK(x, 4, N, new float[4 * N]);
        else batch.quantize(x, 4, N, new float[4 * N]);
        panels = new TokenPanels();
        panels.set(rounded, 64, N); // what ForwardPass lays out for a prompt chunk
        out = new float[64 * N];
    }

    /** Decode: one token; q8_0/q4_0 and the K-quants take the integer kernels, as in a forward pass. */
    @Benchmark
    public float[] decodeOneToken() {
        w.matmul(rounded, xq, 1, out, N, 0, 0, N);
        return out;
    }

    /** A batched decode step of four sequences (continuous batching): time per call, so per token is a quarter. */
    @Benchmark
    public float[] decodeBatchOf4() {
        w.matmul(rounded, batch, 4, out, N, 0, 0, N);
        return out;
    }

    /** Decode in f32 only (the path the integer kernels replaced). */
    @Benchmark
    public float[] decodeOneTokenF32() {
        w.matmul(x, 1, out, N, 0, 0, N);
        return out;
    }

    /** Prefill: a 64-token prompt chunk as a forward pass runs it (PrefillGemm over the token panels). */
    @Benchmark
    public float[] prefill64Tokens() {
        w.prefill(panels, out, N, 0, 0, N);
        return out;
    }

    /** The same product through the dot-product tiles that {@code WeightMatrix.matmul} keeps (PanelGemm, or integer kernels). */
    @Benchmark
    public float[] prefill64TokensMatmul() {
        w.matmul(rounded, xq, 64, out, N, 0, 0, N);
        return out;
    }
}
