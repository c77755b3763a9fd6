package ai.peregrine.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two ceilings every kernel here lives under, measured from Java on this machine: the f32 FMA rate of the
 * Vector API (independent accumulators, no memory traffic) and the rate at which 1 and 2 threads stream a buffer
 * far larger than the caches. Decode reads every weight once per token, so tokens/s ≤ read bandwidth / weight
 * bytes; prefill and batched decode do a multiply-add per weight per token, so tokens/s ≤ FMA rate / weights.
 * Prints one JSON object (best of the repetitions, as STREAM reports).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/peregrine-benchmarks.jar
 * ai.peregrine.benchmarks.Roofline [MiB=1024]}
 */
public final class Roofline {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final int REPS = 8;

    private Roofline() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        double fma = 0;
        for (int r = 0; r < REPS; r++) fma = Math.max(fma, fmaRate(20_000_000L));
        MemorySegment buffer = Arena.global().allocate(bytes, 4096);
        for (long i = 0; i < bytes; i += 8) buffer.set(ValueLayout.JAVA_LONG, i, i * 0x9E3779B97F4A7C15L);
        double one = 0, two = 0;
        for (int r = 0; r < REPS; r++) {
            one = Math.max(one, readRate(buffer, 1));
            two = Math.max(two, readRate(buffer, 2));
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"vector_bits\":%d,\"fma_gmac_per_s_per_thread\":%.1f,\"read_gb_per_s_1_thread\":%.1f,\"read_gb_per_s_2_threads\":%.1f,\"buffer_mib\":%d}",
                F.vectorBitSize(), fma, one, two, bytes >> 20));
    }

    /** Multiply-adds per second (in 1e9, one per lane) of twelve independent FMA chains: more than the FMA latency covers. */
    static double fmaRate(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999f), a = FloatVector.broadcast(F, 0.001f);
        FloatVector c0 = FloatVector.broadcast(F, 1), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3), c4 = c0.add(4), c5 = c0.add(5);
        FloatVector c6 = c0.add(6), c7 = c0.add(7), c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        long t0 = System.nanoTime();
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(m, a); c1 = c1.fma(m, a); c2 = c2.fma(m, a); c3 = c3.fma(m, a); c4 = c4.fma(m, a); c5 = c5.fma(m, a);
            c6 = c6.fma(m, a); c7 = c7.fma(m, a); c8 = c8.fma(m, a); c9 = c9.fma(m, a); c10 = c10.fma(m, a); c11 = c11.fma(m, a);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        float sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
        if (sink == 42) System.out.print(""); // keeps the chains live
        return iterations * 12.0 * F.length() / seconds / 1e9;
    }

    /** GB/s (1e9 bytes) at which {@code threads} threads, each over its own part, sum the whole buffer. */
    static double readRate(MemorySegment buffer, int threads) throws InterruptedException {
        long part = buffer.byteSize() / threads / 4096 * 4096;
        long[] sums = new long[threads];
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            ts[i] = new Thread(() -> sums[index] = sum(buffer.address() + index * part, part));
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (Arrays.stream(sums).sum() == 42) System.out.print("");
        return part * threads / seconds / 1e9;
    }

    private static long sum(long address, long bytes) {
        int step = B.vectorByteSize();
        IntVector a = IntVector.zero(IntVector.SPECIES_PREFERRED), b = a;
        for (long i = 0; i + 2L * step <= bytes; i += 2L * step) {
            a = a.add(ByteVector.fromMemorySegment(B, ALL, address + i, ByteOrder.LITTLE_ENDIAN).reinterpretAsInts());
            b = b.add(ByteVector.fromMemorySegment(B, ALL, address + i + step, ByteOrder.LITTLE_ENDIAN).reinterpretAsInts());
        }
        return a.add(b).reduceLanesToLong(VectorOperators.ADD);
    }
}
