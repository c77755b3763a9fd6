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
 * Q6_K: super-blocks of 256 values in 210 bytes: 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, 16 int8
 * sub-block scales (one per 16 values), fp16 d; value = d·sc_j·(q − 32) with q = 0..63. In half n (128 values):
 * byte l (0..31) of the low nibbles gives values l (low nibble) and 64 + l (high), byte 32 + l gives 32 + l and
 * 96 + l; high-bit byte l gives their top two bits in bit pairs 0, 2, 4, 6 for values l, 32 + l, 64 + l, 96 + l.
 */
public final class Q6_KMatrix extends KQuantMatrix {
    private static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q6_K, 16);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        int i = part * L;
        int half = i >> 7, quarter = (i >> 5) & 3, l = i & 31;
        long block = base + blockOffset;
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, block + 64L * half + 32 * (quarter & 1) + l, ByteOrder.LITTLE_ENDIAN);
        ByteVector h = ByteVector.fromMemorySegment(B, MEMORY, block + QH + 32L * half + l, ByteOrder.LITTLE_ENDIAN);
        ByteVector nibble = quarter < 2 ? q.and((byte) 0x0F) : q.lanewise(VectorOperators.LSHR, 4);
        ByteVector top = h.lanewise(VectorOperators.LSHR, 2 * quarter).and((byte) 3).lanewise(VectorOperators.LSHL, 4);
        return (FloatVector) nibble.or(top).sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        int half = i >> 7, quarter = (i >> 5) & 3, l = i & 31;
        long block = base + blockOffset;
        int q = MEMORY.get(ValueLayout.JAVA_BYTE, block + 64L * half + 32 * (quarter & 1) + l) & 0xFF;
        int h = MEMORY.get(ValueLayout.JAVA_BYTE, block + QH + 32L * half + l) & 0xFF;
        return ((quarter < 2 ? q & 0x0F : q >>> 4) | (h >>> (2 * quarter) & 3) << 4) - 32;
    }

    @Override
    float subScale(long blockOffset, int j) {
        return half(base + blockOffset + D) * MEMORY.get(ValueLayout.JAVA_BYTE, base + blockOffset + SCALES + j);
    }

    @Override
    float subMin(long blockOffset, int j) {
        return 0;
    }

    /** Σ_super-blocks dw·dx·Σ_j sc_j·Σ (q − 32)·qx with exact integer sums per super-block, as ggml's {@code ggml_vec_dot_q6_K_q8_K}. */
    @Override
    float dotInt(int row, QuantizedActivations a, int t) {
        int supers = cols / SUPER;
        long addr = base + row * rowBytes;
        float sum = 0;
        int x = t * cols;
        for (int b = t * supers; b < (t + 1) * supers; b++, addr += BLOCK_BYTES, x += SUPER) {
            sum += half(addr + D) * a.scale[b] * scaledSum(addr, a.q, x);
        }
        return sum;
    }

    /**
     * Σ_j sc_j·Σ (q − 32)·qx over the super-block at {@code addr}, exactly. Step k covers 16 columns (col) of one half:
     * low-nibble bytes at ql and ql + 32, high-bit bytes at qh, four groups of 16 values at x, x + 32, x + 64, x + 96
     * with scales j, j + 2, j + 4, j + 6. A scalar result, as {@link Q4_KMatrix}'s: vectors passed between methods
     * C2 does not inline are boxed.
     */
    private static int scaledSum(long addr, short[] q, int x) {
        IntVector acc = IntVector.zero(IntKernels.I8);
        for (int k = 0; k < 4; k++) {
            int half = k >> 1, col = 16 * (k & 1);
            long ql = addr + 64 * half + col;
            ShortVector a = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, ql, ByteOrder.LITTLE_ENDIAN));
            ShortVector b = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, ql + 32, ByteOrder.LITTLE_ENDIAN));
            // the high-bit pairs moved up by 4: pair g lands in bits 4..5 after a right shift by 2g
            ShortVector h = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, addr + QH + 32 * half + col, ByteOrder.LITTLE_ENDIAN))
                    .lanewise(VectorOperators.LSHL, 4);
            int xk = x + 128 * half + col;
            long scales = MEMORY.get(I64, addr + SCALES + 8 * half) >>> (8 * (k & 1));
            // low nibbles first (groups 0: a, 1: b), then high nibbles (groups 2: a, 3: b); shift counts rather than a
            // choice between vectors, which C2 may box
            for (int high = 0; high < 2; high++) {
                int shift = 4 * high, g = 2 * high;
                ShortVector qa = a.lanewise(VectorOperators.LSHR, shift).and((short) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2 * g).and((short) 0x30));
                ShortVector qb = b.lanewise(VectorOperators.LSHR, shift).and((short) 0x0F).or(h.lanewise(VectorOperators.LSHR, 2 * g + 2).and((short) 0x30));
                ShortVector pa = qa.sub((short) 32).mul(ShortVector.fromArray(IntKernels.S16, q, xk + 32 * g));
                ShortVector pb = qb.sub((short) 32).mul(ShortVector.fromArray(IntKernels.S16, q, xk + 32 * g + 32));
                acc = acc.add(IntKernels.smallPairSums(pa).mul((int) (byte) (scales >>> (16 * g))))
                        .add(IntKernels.smallPairSums(pb).mul((int) (byte) (scales >>> (16 * g + 16))));
            }
        }
        // integer lanes: exact in any order
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
