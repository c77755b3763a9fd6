package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Types stored as blocks of 32 values, each led by an fp16 scale (q8_0, q4_0). The f32 kernels live here and
 * only ask a subclass to decode a block's values; subclasses add their integer kernel for decode.
 */
abstract sealed class Block32Matrix extends WeightMatrix permits Q8_0Matrix, Q4_0Matrix {
    static final int BLOCK = 32;
    static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Float vectors per block. */
    static final int PARTS = BLOCK / Math.max(L, 1);

    final int blockBytes;
    /**
     * Whether prefill uses 8-token tiles: they pay off where decoding a block costs several operations (q4_0's
     * nibbles, +25% prefill per core here) and lose where it is one widening load (q8_0: 4-token tiles are ~1.6x faster).
     */
    private final boolean tile8;

    Block32Matrix(MemorySegment data, int rows, int cols, GgmlType type, boolean tile8) {
        super(data, rows, cols, type);
        this.blockBytes = type.blockBytes;
        this.tile8 = tile8;
    }

    /** Values [part·L, part·L + L) of the block at {@code blockOffset} (from the start of the matrix), unscaled. */
    abstract FloatVector part(long blockOffset, int part);

    /** Value i (0..31) of the block, unscaled. */
    abstract int value(long blockOffset, int i);

    /** Row · (q8_0-quantized token t) with integer arithmetic. */
    abstract float dotInt(int row, QuantizedActivations a, int t);

    final float scale(long blockOffset) {
        return Float.float16ToFloat(MEMORY.get(F16, base + blockOffset));
    }

    @Override
    public final float dot(int row, float[] x, int xOff) {
        if (!Vectors.BLOCK_KERNELS) return dotScalar(row, x, xOff);
        int blocks = cols / BLOCK;
        long off = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++, off += blockBytes) {
            int xi = xOff + b * BLOCK;
            // two independent partial sums: the FMA latency chain per block is halved
            FloatVector even = part(off, 0).mul(FloatVector.fromArray(F, x, xi));
            FloatVector odd = part(off, 1).mul(FloatVector.fromArray(F, x, xi + L));
            for (int p = 2; p < PARTS; p += 2) {
                even = part(off, p).fma(FloatVector.fromArray(F, x, xi + p * L), even);
                odd = part(off, p + 1).fma(FloatVector.fromArray(F, x, xi + (p + 1) * L), odd);
            }
            acc = even.add(odd).fma(FloatVector.broadcast(F, scale(off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private float dotScalar(int row, float[] x, int xOff) {
        float acc = 0;
        long off = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, off += blockBytes) {
            float s = 0;
            for (int i = 0; i < BLOCK; i++) s += value(off, i) * x[xOff + b * BLOCK + i];
            acc += s * scale(off);
        }
        return acc;
    }

    @Override
    public final void matmul(float[] x, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (!Vectors.BLOCK_KERNELS || nTok < 4) {
            super.matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            int t = 0;
            if (tile8) for (; t + 8 <= nTok; t += 8) tile8(x, t, r, out, outStride, outOff);
            for (; t + 4 <= nTok; t += 4) tile4(x, t, r, out, outStride, outOff);
            for (; t < nTok; t++) out[t * outStride + outOff + r] = dot(r, x, t * cols);
        }
    }

    @Override
    public final void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (!IntKernels.ENABLED || (nTok >= 4 && !xq.independentRows)) {
            matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            for (int t = 0; t < nTok; t++) out[t * outStride + outOff + r] = dotInt(r, xq, t);
        }
    }

    /**
     * Eight tokens against one row: each block's values are decoded and scaled once and feed eight
     * accumulators, which is what makes prefill cheaper per token than decode.
     */
    private void tile8(float[] x, int t, int r, float[] out, int outStride, int outOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int x0 = t * cols;
        long off = r * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, off += blockBytes) {
            FloatVector d = FloatVector.broadcast(F, scale(off));
            for (int p = 0; p < PARTS; p++) {
                FloatVector w = part(off, p).mul(d);
                int xi = x0 + b * BLOCK + p * L;
                a0 = w.fma(FloatVector.fromArray(F, x, xi), a0);
                a1 = w.fma(FloatVector.fromArray(F, x, xi + cols), a1);
                a2 = w.fma(FloatVector.fromArray(F, x, xi + 2 * cols), a2);
                a3 = w.fma(FloatVector.fromArray(F, x, xi + 3 * cols), a3);
                a4 = w.fma(FloatVector.fromArray(F, x, xi + 4 * cols), a4);
                a5 = w.fma(FloatVector.fromArray(F, x, xi + 5 * cols), a5);
                a6 = w.fma(FloatVector.fromArray(F, x, xi + 6 * cols), a6);
                a7 = w.fma(FloatVector.fromArray(F, x, xi + 7 * cols), a7);
            }
        }
        int o = t * outStride + outOff + r;
        out[o] = a0.reduceLanes(VectorOperators.ADD);
        out[o + outStride] = a1.reduceLanes(VectorOperators.ADD);
        out[o + 2 * outStride] = a2.reduceLanes(VectorOperators.ADD);
        out[o + 3 * outStride] = a3.reduceLanes(VectorOperators.ADD);
        out[o + 4 * outStride] = a4.reduceLanes(VectorOperators.ADD);
        out[o + 5 * outStride] = a5.reduceLanes(VectorOperators.ADD);
        out[o + 6 * outStride] = a6.reduceLanes(VectorOperators.ADD);
        out[o + 7 * outStride] = a7.reduceLanes(VectorOperators.ADD);
    }

    /** Four tokens against one row, summing each block before scaling it. */
    private void tile4(float[] x, int t, int r, float[] out, int outStride, int outOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int x0 = t * cols;
        long off = r * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, off += blockBytes) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < PARTS; p++) {
                FloatVector w = part(off, p);
                int xi = x0 + b * BLOCK + p * L;
                s0 = w.fma(FloatVector.fromArray(F, x, xi), s0);
                s1 = w.fma(FloatVector.fromArray(F, x, xi + cols), s1);
                s2 = w.fma(FloatVector.fromArray(F, x, xi + 2 * cols), s2);
                s3 = w.fma(FloatVector.fromArray(F, x, xi + 3 * cols), s3);
            }
            FloatVector d = FloatVector.broadcast(F, scale(off));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
        }
        int o = t * outStride + outOff + r;
        out[o] = a0.reduceLanes(VectorOperators.ADD);
        out[o + outStride] = a1.reduceLanes(VectorOperators.ADD);
        out[o + 2 * outStride] = a2.reduceLanes(VectorOperators.ADD);
        out[o + 3 * outStride] = a3.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int off) {
        long o = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, o += blockBytes) {
            float d = scale(o);
            for (int i = 0; i < BLOCK; i++) dst[off + b * BLOCK + i] = d * value(o, i);
        }
    }
}
