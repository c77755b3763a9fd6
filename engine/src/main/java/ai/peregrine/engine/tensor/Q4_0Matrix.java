package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.B;
import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0: blocks of 32 values, an fp16 scale then 16 bytes; byte i holds value i in its low nibble and
 * value i+16 in its high nibble, each stored +8.
 */
public final class Q4_0Matrix extends Block32Matrix {
    private static final int BLOCK_BYTES = 18;
    /** Float vectors per block half (the low nibbles are values 0..15, the high nibbles 16..31). */
    private static final int HALF_PARTS = 16 / Math.max(L, 1);

    public Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q4_0);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        boolean high = part >= HALF_PARTS;
        long at = base + blockOffset + 2 + (long) (high ? part - HALF_PARTS : part) * L;
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, at, ByteOrder.LITTLE_ENDIAN);
        ByteVector nibble = high ? q.lanewise(VectorOperators.LSHR, 4) : q.and((byte) 0x0F);
        return (FloatVector) nibble.sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        int b = MEMORY.get(ValueLayout.JAVA_BYTE, base + blockOffset + 2 + (i & 15)) & 0xFF;
        return (i < 16 ? b & 0x0F : b >>> 4) - 8;
    }

    /**
     * Σ_blocks dw·dx·Σ (n − 8)·qx with n the stored nibble: the integer loop multiplies the raw nibbles and the
     * −8·Σqx offset is added per block from the activations' precomputed block sums.
     */
    @Override
    float dotInt(int row, QuantizedActivations a, int t) {
        int blocks = cols / BLOCK;
        long rowStart = row * rowBytes;
        int xb = t * cols;
        int sb = t * blocks;
        short[] q = a.q;
        FloatVector acc0 = FloatVector.zero(IntKernels.F8), acc1 = acc0;
        float offset = 0;
        int b = 0;
        // two blocks per iteration: C2 recomputes addresses and reloads spilled indices each iteration (~+30%)
        for (; b + 1 < blocks; b += 2) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            int x = xb + b * BLOCK;
            float d0 = scale(off);
            float d1 = scale(off + BLOCK_BYTES);
            acc0 = blockSum(off, q, x).fma(FloatVector.broadcast(IntKernels.F8, d0 * a.scale[sb + b]), acc0);
            acc1 = blockSum(off + BLOCK_BYTES, q, x + BLOCK).fma(FloatVector.broadcast(IntKernels.F8, d1 * a.scale[sb + b + 1]), acc1);
            offset += d0 * a.q4Offset[sb + b] + d1 * a.q4Offset[sb + b + 1];
        }
        for (; b < blocks; b++) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            float d = scale(off);
            acc0 = blockSum(off, q, xb + b * BLOCK).fma(FloatVector.broadcast(IntKernels.F8, d * a.scale[sb + b]), acc0);
            offset += d * a.q4Offset[sb + b];
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + offset;
    }

    /** Lane partial sums of Σ n·qx over one block (n the raw nibble, 0..15). */
    private FloatVector blockSum(long blockOffset, short[] q, int x) {
        ShortVector n = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, base + blockOffset + 2, ByteOrder.LITTLE_ENDIAN));
        ShortVector p = n.and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x))
                .add(n.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
        return (FloatVector) IntKernels.pairSums(p).convert(VectorOperators.I2F, 0);
    }
}
