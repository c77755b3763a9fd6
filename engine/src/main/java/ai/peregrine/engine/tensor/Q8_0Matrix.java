package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.B;
import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0: blocks of 32 values, an fp16 scale then 32 int8. */
public final class Q8_0Matrix extends Block32Matrix {
    private static final int BLOCK_BYTES = 34;

    public Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q8_0);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, base + blockOffset + 2 + (long) part * L, ByteOrder.LITTLE_ENDIAN);
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        return MEMORY.get(java.lang.foreign.ValueLayout.JAVA_BYTE, base + blockOffset + 2 + i);
    }

    /** Σ_blocks dw·dx·Σ qw·qx, as ggml computes a q8_0 × q8_0 dot. */
    @Override
    float dotInt(int row, QuantizedActivations a, int t) {
        int blocks = cols / BLOCK;
        long rowStart = row * rowBytes;
        int xb = t * cols;
        int sb = t * blocks;
        short[] q = a.q;
        FloatVector acc0 = FloatVector.zero(IntKernels.F8), acc1 = acc0;
        int b = 0;
        // two blocks per iteration: C2 recomputes addresses and reloads spilled indices each iteration
        for (; b + 1 < blocks; b += 2) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            int x = xb + b * BLOCK;
            float d0 = scale(off) * a.scale[sb + b];
            float d1 = scale(off + BLOCK_BYTES) * a.scale[sb + b + 1];
            acc0 = blockSum(off, q, x).fma(FloatVector.broadcast(IntKernels.F8, d0), acc0);
            acc1 = blockSum(off + BLOCK_BYTES, q, x + BLOCK).fma(FloatVector.broadcast(IntKernels.F8, d1), acc1);
        }
        for (; b < blocks; b++) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            acc0 = blockSum(off, q, xb + b * BLOCK).fma(FloatVector.broadcast(IntKernels.F8, scale(off) * a.scale[sb + b]), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** Lane partial sums of Σ qw·qx over one block. */
    private FloatVector blockSum(long blockOffset, short[] q, int x) {
        long address = base + blockOffset;
        ShortVector w0 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN));
        ShortVector w1 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, address + 18, ByteOrder.LITTLE_ENDIAN));
        ShortVector p = w0.mul(ShortVector.fromArray(IntKernels.S16, q, x)).add(w1.mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
        return (FloatVector) IntKernels.pairSums(p).convert(VectorOperators.I2F, 0);
    }
}
