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

/** Q8_0: blocks of 32 values, an fp16 scale then 32 int8. Activations stay f32 (dequantize-on-the-fly FMA). */
public final class Q8_0Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int PARTS = BLOCK / Math.max(L, 1);

    public Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q8_0);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    private float scale(long blockOffset) {
        return Float.float16ToFloat(MEMORY.get(F16, base + blockOffset));
    }

    private FloatVector weights(long blockOffset, int part) {
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, base + blockOffset + 2 + (long) part * L, ByteOrder.LITTLE_ENDIAN);
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        if (!Vectors.BLOCK_KERNELS) return dotScalar(row, x, xOff);
        int blocks = cols / BLOCK;
        long off = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            int xi = xOff + b * BLOCK;
            // two independent partial sums: the FMA latency chain per block is halved
            FloatVector even = weights(off, 0).mul(FloatVector.fromArray(F, x, xi));
            FloatVector odd = weights(off, 1).mul(FloatVector.fromArray(F, x, xi + L));
            for (int p = 2; p < PARTS; p += 2) {
                even = weights(off, p).fma(FloatVector.fromArray(F, x, xi + p * L), even);
                odd = weights(off, p + 1).fma(FloatVector.fromArray(F, x, xi + (p + 1) * L), odd);
            }
            acc = even.add(odd).fma(FloatVector.broadcast(F, scale(off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private float dotScalar(int row, float[] x, int xOff) {
        float acc = 0;
        long off = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, off += BLOCK_BYTES) {
            float s = 0;
            for (int i = 0; i < BLOCK; i++) s += data.get(ValueLayout.JAVA_BYTE, off + 2 + i) * x[xOff + b * BLOCK + i];
            acc += s * scale(off);
        }
        return acc;
    }

    @Override
    public void matmul(float[] x, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (!Vectors.BLOCK_KERNELS || nTok < 4) {
            super.matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        int blocks = cols / BLOCK;
        for (int r = r0; r < r1; r++) {
            int t = 0;
            for (; t + 8 <= nTok; t += 8) tile8(x, t, r, out, outStride, outOff, blocks);
            for (; t + 4 <= nTok; t += 4) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                int x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
                long off = r * rowBytes;
                for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
                    FloatVector d = FloatVector.broadcast(F, scale(off));
                    FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                    int xb = b * BLOCK;
                    for (int p = 0; p < PARTS; p++) {
                        FloatVector w = weights(off, p);
                        int xi = xb + p * L;
                        s0 = w.fma(FloatVector.fromArray(F, x, x0 + xi), s0);
                        s1 = w.fma(FloatVector.fromArray(F, x, x1 + xi), s1);
                        s2 = w.fma(FloatVector.fromArray(F, x, x2 + xi), s2);
                        s3 = w.fma(FloatVector.fromArray(F, x, x3 + xi), s3);
                    }
                    a0 = s0.fma(d, a0);
                    a1 = s1.fma(d, a1);
                    a2 = s2.fma(d, a2);
                    a3 = s3.fma(d, a3);
                }
                out[t * outStride + outOff + r] = a0.reduceLanes(VectorOperators.ADD);
                out[(t + 1) * outStride + outOff + r] = a1.reduceLanes(VectorOperators.ADD);
                out[(t + 2) * outStride + outOff + r] = a2.reduceLanes(VectorOperators.ADD);
                out[(t + 3) * outStride + outOff + r] = a3.reduceLanes(VectorOperators.ADD);
            }
            for (; t < nTok; t++) out[t * outStride + outOff + r] = dot(r, x, t * cols);
        }
    }

    @Override
    public void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (!IntKernels.ENABLED || nTok >= 4) {
            matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            for (int t = 0; t < nTok; t++) out[t * outStride + outOff + r] = dotInt(r, xq, t);
        }
    }

    /** Σ_blocks dw·dx·Σ qw·qx, as ggml computes a q8_0 × q8_0 dot. */
    private float dotInt(int row, QuantizedActivations a, int t) {
        int blocks = cols / BLOCK;
        long rowStart = base + row * rowBytes;
        int xb = t * cols;
        int sb = t * blocks;
        short[] q = a.q;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int b = 0;
        // two blocks per iteration: C2 recomputes addresses and reloads spilled indices each iteration
        for (; b + 1 < blocks; b += 2) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            int x = xb + b * BLOCK;
            float d0 = Float.float16ToFloat(MEMORY.get(F16, off)) * a.scale[sb + b];
            float d1 = Float.float16ToFloat(MEMORY.get(F16, off + BLOCK_BYTES)) * a.scale[sb + b + 1];
            acc0 = blockSum(off, q, x).fma(FloatVector.broadcast(F, d0), acc0);
            acc1 = blockSum(off + BLOCK_BYTES, q, x + BLOCK).fma(FloatVector.broadcast(F, d1), acc1);
        }
        for (; b < blocks; b++) {
            long off = rowStart + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(MEMORY.get(F16, off)) * a.scale[sb + b];
            acc0 = blockSum(off, q, xb + b * BLOCK).fma(FloatVector.broadcast(F, d), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** Lane partial sums of Σ qw·qx over one block. */
    private static FloatVector blockSum(long address, short[] q, int x) {
        ShortVector w0 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN));
        ShortVector w1 = IntKernels.widen(ByteVector.fromMemorySegment(IntKernels.B16, MEMORY, address + 18, ByteOrder.LITTLE_ENDIAN));
        ShortVector p = w0.mul(ShortVector.fromArray(IntKernels.S16, q, x)).add(w1.mul(ShortVector.fromArray(IntKernels.S16, q, x + 16)));
        return (FloatVector) IntKernels.pairSums(p).convert(VectorOperators.I2F, 0);
    }

    /**
     * Eight tokens against one row: each block's weights are decoded and scaled once and feed eight
     * accumulators, which is what makes prefill cheaper per token than decode.
     */
    private void tile8(float[] x, int t, int r, float[] out, int outStride, int outOff, int blocks) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int x0 = t * cols;
        long off = r * rowBytes;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, scale(off));
            int xb = b * BLOCK;
                    for (int p = 0; p < PARTS; p++) {
                        FloatVector w = weights(off, p).mul(d);
                        int xi = xb + p * L;
                        a0 = w.fma(FloatVector.fromArray(F, x, x0 + xi), a0);
                        a1 = w.fma(FloatVector.fromArray(F, x, x0 + cols + xi), a1);
                        a2 = w.fma(FloatVector.fromArray(F, x, x0 + 2 * cols + xi), a2);
                        a3 = w.fma(FloatVector.fromArray(F, x, x0 + 3 * cols + xi), a3);
                        a4 = w.fma(FloatVector.fromArray(F, x, x0 + 4 * cols + xi), a4);
                        a5 = w.fma(FloatVector.fromArray(F, x, x0 + 5 * cols + xi), a5);
                        a6 = w.fma(FloatVector.fromArray(F, x, x0 + 6 * cols + xi), a6);
                        a7 = w.fma(FloatVector.fromArray(F, x, x0 + 7 * cols + xi), a7);
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

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long o = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, o += BLOCK_BYTES) {
            float d = scale(o);
            for (int i = 0; i < BLOCK; i++) dst[off + b * BLOCK + i] = d * data.get(ValueLayout.JAVA_BYTE, o + 2 + i);
        }
    }
}
