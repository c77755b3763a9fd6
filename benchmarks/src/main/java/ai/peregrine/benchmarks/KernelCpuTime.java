package ai.peregrine.benchmarks;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.tensor.QuantizedActivations;
import ai.peregrine.engine.tensor.TokenPanels;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

/**
 * The kernels of {@link MatVecBenchmark} timed by this thread's CPU time rather than the wall clock, for a shared
 * machine where other processes steal cores: per type, one decode mat-vec (integer kernels), a batched decode step
 * of four sequences and one 64-token prefill mat-mat on a 2048×2048 weight, the best of several rounds after warm-up, plus the heap bytes each call
 * allocates (vectors the JIT failed to keep in registers show up there). Run types in separate JVMs, interleaved,
 * and compare minimums:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/peregrine-benchmarks.jar ai.peregrine.benchmarks.KernelCpuTime Q4_K}
 */
public final class KernelCpuTime {
    private KernelCpuTime() {}

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = MatVecBenchmark.N;
        for (String name : args.length > 0 ? args : new String[] {"Q8_0", "Q4_0", "Q4_0_REPACKED", "Q4_K", "Q5_K", "Q6_K"}) {
            GgmlType type = RandomBlocks.type(name);
            WeightMatrix w = RandomBlocks.matrix(name, n, n, new SplittableRandom(1));
            float[] x = new float[64 * n];
            SplittableRandom rnd = new SplittableRandom(2);
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            float[] rounded = new float[x.length];
            QuantizedActivations xq = new QuantizedActivations(64, n);
            if (type.blockSize == 256) xq.quantizeK(x, 64, n, rounded);
            else xq.quantize(x, 64, n, rounded);
            QuantizedActivations batch = new QuantizedActivations(4, n, true); // a continuous-batching decode step
            if (type.blockSize == 256) batch.quantizeK(x, 4, n, new float[4 * n]);
            else batch.quantize(x, 4, n, new float[4 * n]);
            float[] out = new float[64 * n];
            TokenPanels panels = new TokenPanels();
            panels.set(rounded, 64, n);
            for (int tokens : new int[] {1, 4, 64}) {
                boolean prefill = tokens == 64;
                int calls = prefill ? 3 : 200 / tokens;
                double best = Double.MAX_VALUE;
                long allocated = 0;
                for (int round = 0; round < 12; round++) {
                    long cpu = mx.getCurrentThreadCpuTime(), heap = mx.getCurrentThreadAllocatedBytes();
                    for (int c = 0; c < calls; c++) {
                        if (prefill) w.prefill(panels, out, n, 0, 0, n);
                        else w.matmul(rounded, tokens == 4 ? batch : xq, tokens, out, n, 0, 0, n);
                    }
                    if (round < 3) continue; // warm-up: interpreter and C1 allocate vector boxes
                    best = Math.min(best, (mx.getCurrentThreadCpuTime() - cpu) / 1e3 / calls);
                    allocated = (mx.getCurrentThreadAllocatedBytes() - heap) / calls;
                }
                System.out.printf("%s %s: %.0f us CPU per call%s, %d B allocated per call%n", name,
                        prefill ? "prefill 64 tokens" : tokens == 4 ? "decode, batch of 4" : "decode",
                        best, tokens > 1 ? String.format(" (%.0f us per token)", best / tokens) : "", allocated);
            }
        }
    }
}
