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
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_K: super-blocks of 256 values in 176 bytes: fp16 d, fp16 dmin, 12 bytes of 6-bit scales and minimums (as
 * q4_K, see {@link KScales}), 32 bytes of high bits, 128 bytes of nibbles laid out as q4_K's. Value 64c + l
 * (c = 0..3, l = 0..31) takes its fifth bit from bit 2c of high-bit byte l, value 64c + 32 + l from bit 2c + 1.
 */
public final class Q5_KMatrix extends KQuantMatrix {
    private static final int BLOCK_BYTES = 176;
    private static final int QH = 16;
    private static final int QS = 48;

    public Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q5_K, 32);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        int i = part * L;
        int chunk = i >> 6, within = i & 63;
        boolean high = within >= 32;
        long block = base + blockOffset;
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, block + QS + 32L * chunk + (within & 31), ByteOrder.LITTLE_ENDIAN);
        ByteVector h = ByteVector.fromMemorySegment(B, MEMORY, block + QH + (within & 31), ByteOrder.LITTLE_ENDIAN);
        ByteVector nibble = high ? q.lanewise(VectorOperators.LSHR, 4) : q.and((byte) 0x0F);
        ByteVector fifth = h.lanewise(VectorOperators.LSHR, 2 * chunk + (high ? 1 : 0)).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
        return (FloatVector) nibble.or(fifth).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        long block = base + blockOffset;
        int b = MEMORY.get(ValueLayout.JAVA_BYTE, block + QS + 32L * (i >> 6) + (i & 31)) & 0xFF;
        int h = MEMORY.get(ValueLayout.JAVA_BYTE, block + QH + (i & 31)) & 0xFF;
        int bit = 2 * (i >> 6) + ((i & 32) == 0 ? 0 : 1);
        return ((i & 32) == 0 ? b & 0x0F : b >>> 4) | (h >>> bit & 1) << 4;
    }

    @Override
    float subScale(long blockOffset, int j) {
        return half(base + blockOffset) * KScales.scale(MEMORY, base + blockOffset + 4, j);
    }

    @Override
    float subMin(long blockOffset, int j) {
        return half(base + blockOffset + 2) * KScales.min(MEMORY, base + blockOffset + 4, j);
    }

    /** As q4_K's ({@link Q4_KMatrix#dotInt}), with each nibble's fifth bit added: values 0..31. */
    @Override
    float dotInt(int row, QuantizedActivations a, int t) {
        int supers = cols / SUPER;
        long addr = base + row * rowBytes;
        float sum = 0;
        int x = t * cols;
        int s32 = t * (cols / 32);
        for (int b = t * supers; b < (t + 1) * supers; b++, addr += BLOCK_BYTES, x += SUPER, s32 += 8) {
            float dx = a.scale[b];
            sum += superBlockDot(addr, a.q, x, a.sum, s32, half(addr) * dx, half(addr + 2) * dx);
        }
        return sum;
    }

    /**
     * d·Σ_j sc_j·Σ q·qx − dmin·Σ_j m_j·Σ qx over the super-block at {@code addr}, with exact integer sums. Sub-block j
     * takes the low (j even) or high (j odd) nibbles of chunk j/2 and its fifth bit from bit j of the high-bit bytes.
     * One sub-block per iteration, and a scalar result: more vector code per method runs out C2's inlining budget,
     * and vectors passed between methods that are not inlined are boxed on the heap.
     */
    private static float superBlockDot(long addr, short[] q, int x, int[] sums, int s32, float d, float dmin) {
        long scales = KScales.scales(MEMORY, addr + 4);
        ShortVector h0 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, addr + QH, ByteOrder.LITTLE_ENDIAN));
        ShortVector h1 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, addr + QH + 16, ByteOrder.LITTLE_ENDIAN));
        IntVector acc = IntVector.zero(IntKernels.I8);
        for (int j = 0; j < 8; j++, x += 32) {
            long at = addr + QS + 32 * (j >> 1);
            int nibbleShift = 4 * (j & 1);
            ShortVector n0 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, at, ByteOrder.LITTLE_ENDIAN));
            ShortVector n1 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, at + 16, ByteOrder.LITTLE_ENDIAN));
            ShortVector v0 = n0.lanewise(VectorOperators.LSHR, nibbleShift).and((short) 0x0F)
                    .or(h0.lanewise(VectorOperators.LSHR, j).lanewise(VectorOperators.LSHL, 4).and((short) 0x10));
            ShortVector v1 = n1.lanewise(VectorOperators.LSHR, nibbleShift).and((short) 0x0F)
                    .or(h1.lanewise(VectorOperators.LSHR, j).lanewise(VectorOperators.LSHL, 4).and((short) 0x10));
            ShortVector p = v0.mul(ShortVector.fromArray(IntKernels.S16, q, x)).add(v1.mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
            acc = acc.add(IntKernels.smallPairSums(p).mul((int) (scales >>> (8 * j) & 0xFF)));
        }
        IntVector mins = KScales.minVector(MEMORY, addr + 4).mul(IntVector.fromArray(IntKernels.I8, sums, s32));
        // integer lane sums: exact in any order (and no vector handed to a helper that might not be inlined)
        return d * acc.reduceLanes(VectorOperators.ADD) - dmin * mins.reduceLanes(VectorOperators.ADD);
    }
}
