package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.B;
import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.IntKernels.B16;
import static ai.peregrine.engine.tensor.IntKernels.F8;
import static ai.peregrine.engine.tensor.IntKernels.I8;
import static ai.peregrine.engine.tensor.IntKernels.S16;
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
        FloatVector acc = FloatVector.zero(IntKernels.F8);
        float offset = 0;
        int b = 0;
        // two blocks per iteration: C2 recomputes addresses and reloads spilled indices each iteration (~+30%). One
        // accumulator, blocks in order: the arithmetic dotInt4 repeats for batches.
        for (; b + 1 < blocks; b += 2) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            int x = xb + b * BLOCK;
            float d0 = scale(off);
            float d1 = scale(off + BLOCK_BYTES);
            acc = blockSum(off, q, x).fma(FloatVector.broadcast(IntKernels.F8, d0 * a.scale[sb + b]), acc);
            offset += d0 * a.q4Offset[sb + b];
            acc = blockSum(off + BLOCK_BYTES, q, x + BLOCK).fma(FloatVector.broadcast(IntKernels.F8, d1 * a.scale[sb + b + 1]), acc);
            offset += d1 * a.q4Offset[sb + b + 1];
        }
        for (; b < blocks; b++) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            float d = scale(off);
            acc = blockSum(off, q, xb + b * BLOCK).fma(FloatVector.broadcast(IntKernels.F8, d * a.scale[sb + b]), acc);
            offset += d * a.q4Offset[sb + b];
        }
        return Vectors.sum8(acc) + offset;
    }

    /** Lane partial sums of Σ n·qx over one block (n the raw nibble, 0..15). */
    private FloatVector blockSum(long blockOffset, short[] q, int x) {
        ShortVector n = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, base + blockOffset + 2, ByteOrder.LITTLE_ENDIAN));
        ShortVector p = n.and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x))
                .add(n.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F).mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
        return (FloatVector) IntKernels.pairSums(p).convert(VectorOperators.I2F, 0);
    }

    /**
     * {@link #dotInt} for tokens t..t+3 of a batch at once, bit for bit: each block's weights are decoded once, as
     * integer-valued floats in the lane order of {@link IntKernels#pairSums} (even and odd elements of each half),
     * and multiplied with the tokens' activations in that order ({@link QuantizedActivations#permuted}). Every
     * lane's block sum is an integer below 2^24, so the f32 arithmetic is exact and equals the integer kernel's;
     * the per-block scaling then repeats {@link #dotInt}'s float operations exactly. So do the −8 offset sums. Written out in full, one
     * block per iteration: helper methods or a two-block body exceed C2's inlining budget and the vectors get boxed.
     */
    @Override
    void dotInt4(int row, QuantizedActivations a, int t, float[] out, int outStride, int outOff, float[] lanes) {
        int blocks = cols / BLOCK;
        long address = base + row * rowBytes;
        float[] p = a.permuted;
        float[] dx = a.scale;
        FloatVector e0 = FloatVector.zero(F8), e1 = e0, e2 = e0, e3 = e0;
        int x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int s0 = t * blocks, s1 = s0 + blocks, s2 = s1 + blocks, s3 = s2 + blocks;
        float f0 = 0, f1 = 0, f2 = 0, f3 = 0;
        float[] offset = a.q4Offset;
        for (int b = 0; b < blocks; b++, address += BLOCK_BYTES) {
            float dw = Float.float16ToFloat(MEMORY.get(F16, address));
            IntVector n = (IntVector) ByteVector.fromMemorySegment(B16, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0).reinterpretShape(I8, 0);
            FloatVector wa = (FloatVector) n.and(0x0F).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wb = (FloatVector) n.lanewise(VectorOperators.LSHR, 16).and(0x0F).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wc = (FloatVector) n.lanewise(VectorOperators.LSHR, 4).and(0x0F).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wd = (FloatVector) n.lanewise(VectorOperators.LSHR, 20).and(0x0F).convertShape(VectorOperators.I2F, F8, 0);
            int k = b * BLOCK;
            e0 = wd.fma(FloatVector.fromArray(F8, p, x0 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x0 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x0 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x0 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s0 + b]), e0);
            e1 = wd.fma(FloatVector.fromArray(F8, p, x1 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x1 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x1 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x1 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s1 + b]), e1);
            e2 = wd.fma(FloatVector.fromArray(F8, p, x2 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x2 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x2 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x2 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s2 + b]), e2);
            e3 = wd.fma(FloatVector.fromArray(F8, p, x3 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x3 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x3 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x3 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s3 + b]), e3);
            f0 += dw * offset[s0 + b];
            f1 += dw * offset[s1 + b];
            f2 += dw * offset[s2 + b];
            f3 += dw * offset[s3 + b];
        }
        // through memory: passed to sum8 the four vectors would be boxed (C2 does not inline it this deep)
        e0.intoArray(lanes, 0);
        e1.intoArray(lanes, 8);
        e2.intoArray(lanes, 16);
        e3.intoArray(lanes, 24);
        int o = t * outStride + outOff + row;
        out[o] = Vectors.sum8(lanes, 0) + f0;
        out[o + outStride] = Vectors.sum8(lanes, 8) + f1;
        out[o + 2 * outStride] = Vectors.sum8(lanes, 16) + f2;
        out[o + 3 * outStride] = Vectors.sum8(lanes, 24) + f3;
    }
}
