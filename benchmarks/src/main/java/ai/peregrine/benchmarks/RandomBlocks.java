package ai.peregrine.benchmarks;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufWriter;
import ai.peregrine.engine.tensor.Q4_0Matrix;
import ai.peregrine.engine.tensor.Q4_0x8Matrix;
import ai.peregrine.engine.tensor.WeightMatrices;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** A random but valid weight matrix of a ggml type, in native memory, through the same GGUF path a model takes. */
final class RandomBlocks {
    private RandomBlocks() {}

    /** Suffix of a benchmark type name for a matrix as the model loader repacks it (Q4_0_REPACKED: {@code Q4_0x8Matrix}). */
    static final String REPACKED = "_REPACKED";

    /** {@link #matrix(GgmlType, int, int, SplittableRandom)} by name: a ggml type, or one with {@link #REPACKED}. */
    static WeightMatrix matrix(String name, int rows, int cols, SplittableRandom rnd) {
        WeightMatrix w = matrix(type(name), rows, cols, rnd);
        return name.endsWith(REPACKED) ? Q4_0x8Matrix.repack((Q4_0Matrix) w) : w;
    }

    static GgmlType type(String name) {
        return GgmlType.valueOf(name.replace(REPACKED, ""));
    }

    static WeightMatrix matrix(GgmlType type, int rows, int cols, SplittableRandom rnd) {
        byte[] bytes = new byte[(int) type.bytesFor((long) rows * cols)];
        rnd.nextBytes(bytes);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (type.blockSize == 32) {
            for (long b = 0; b < (long) rows * cols / 32; b++) {
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, b * type.blockBytes, Float.floatToFloat16(0.02f));
            }
        } else if (type.blockSize == 256) {
            // K-quants: sane fp16 super-block factors (d, and dmin where the type has minimums); codes stay random
            for (long b = 0; b < (long) rows * cols / 256; b++) {
                long at = b * type.blockBytes;
                if (type == GgmlType.Q6_K) {
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 208, Float.floatToFloat16(0.0005f));
                } else {
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(0.001f));
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2, Float.floatToFloat16(0.001f));
                }
            }
        } else if (type == GgmlType.F16) {
            for (long i = 0; i < (long) rows * cols; i++) {
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i, Float.floatToFloat16((float) rnd.nextGaussian() * 0.02f));
            }
        }
        byte[] image = new GgufWriter().addTensor("w", type, new long[] {cols, rows}, bytes).toBytes();
        Arena arena = Arena.ofShared();
        MemorySegment nativeImage = arena.allocate(image.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(image), 0, nativeImage, 0, image.length);
        return WeightMatrices.of(GgufFile.of("benchmark", nativeImage, arena), "w");
    }
}
