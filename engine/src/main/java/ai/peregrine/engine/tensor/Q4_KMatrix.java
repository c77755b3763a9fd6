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
 * Q4_K: super-blocks of 256 values in 144 bytes: fp16 d, fp16 dmin, 12 bytes of 6-bit sub-block scales and
 * minimums (8 each, see {@link KScales}), then 128 bytes of nibbles. Byte l of chunk c (32 bytes, c = 0..3) holds
 * value 64c + l in its low nibble and 64c + 32 + l in its high nibble; value = d·sc_j·q − dmin·m_j for sub-block j.
 */
public final class Q4_KMatrix extends KQuantMatrix {
    private static final int BLOCK_BYTES = 144;
    private static final int QS = 16;

    public Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q4_K, 32);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        int i = part * L;
        int chunk = i >> 6, within = i & 63;
        boolean high = within >= 32;
        long at = base + blockOffset + QS + 32L * chunk + (within & 31);
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, at, ByteOrder.LITTLE_ENDIAN);
        ByteVector nibble = high ? q.lanewise(VectorOperators.LSHR, 4) : q.and((byte) 0x0F);
        return (FloatVector) nibble.convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        int b = MEMORY.get(ValueLayout.JAVA_BYTE, base + blockOffset + QS + 32L * (i >> 6) + (i & 31)) & 0xFF;
        return (i & 32) == 0 ? b & 0x0F : b >>> 4;
    }

    @Override
    float subScale(long blockOffset, int j) {
        return half(base + blockOffset) * KScales.scale(MEMORY, base + blockOffset + 4, j);
    }

    @Override
    float subMin(long blockOffset, int j) {
        return half(base + blockOffset + 2) * KScales.min(MEMORY, base + blockOffset + 4, j);
    }

    /**
     * Σ_super-blocks dw·dx·Σ_j sc_j·Σ q·qx − dmin·dx·Σ_j m_j·Σ qx: exact integer sums per super-block, as ggml's
     * {@code ggml_vec_dot_q4_K_q8_K}; the minimums use the activations' precomputed sums per 32 values.
     */
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
     * d·Σ_j sc_j·Σ q·qx − dmin·Σ_j m_j·Σ qx over the super-block at {@code addr}, with exact integer sums. Chunk c
     * (32 bytes) holds sub-block 2c in its low nibbles and 2c + 1 in its high nibbles. Returns a scalar: vectors handed
     * between methods that C2 does not inline (its node budget runs out on this much vector code) are boxed.
     */
    private static float superBlockDot(long addr, short[] q, int x, int[] sums, int s32, float d, float dmin) {
        long scales = KScales.scales(MEMORY, addr + 4);
        IntVector acc = IntVector.zero(IntKernels.I8);
        for (int c = 0; c < 4; c++, x += 64) {
            long at = addr + QS + 32 * c;
            ShortVector n0 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, at, ByteOrder.LITTLE_ENDIAN));
            ShortVector n1 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, at + 16, ByteOrder.LITTLE_ENDIAN));
            ShortVector lo = n0.and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x))
                    .add(n1.and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
            ShortVector hi = n0.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x + 32))
                    .add(n1.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x + 48)));
            int shift = 16 * c;
            acc = acc.add(IntKernels.smallPairSums(lo).mul((int) (scales >>> shift & 0xFF)))
                    .add(IntKernels.smallPairSums(hi).mul((int) (scales >>> (shift + 8) & 0xFF)));
        }
        IntVector mins = KScales.minVector(MEMORY, addr + 4).mul(IntVector.fromArray(IntKernels.I8, sums, s32));
        // integer lane sums: exact in any order (and no vector handed to a helper that might not be inlined)
        return d * acc.reduceLanes(VectorOperators.ADD) - dmin * mins.reduceLanes(VectorOperators.ADD);
    }
}
