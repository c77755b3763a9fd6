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
 * only ask a subclass to decode a block's values; subclasses add their integer kernel for decode. Prefill decodes
 * rows into an f32 panel ({@link PanelGemm}).
 */
abstract sealed class Block32Matrix extends WeightMatrix permits Q8_0Matrix, Q4_0Matrix {
    static final int BLOCK = 32;
    static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Float vectors per block. */
    static final int PARTS = BLOCK / Math.max(L, 1);
    /** Scratch for the integer kernels' lane sums (4 tokens × 8 floats), one per thread. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[32]);

    final int blockBytes;

    Block32Matrix(MemorySegment data, int rows, int cols, GgmlType type) {
        super(data, rows, cols, type);
        this.blockBytes = type.blockBytes;
    }

    /** Values [part·L, part·L + L) of the block at {@code blockOffset} (from the start of the matrix), unscaled. */
    abstract FloatVector part(long blockOffset, int part);

    /** Value i (0..31) of the block, unscaled. */
    abstract int value(long blockOffset, int i);

    /** Row · (q8_0-quantized token t) with integer arithmetic. */
    abstract float dotInt(int row, QuantizedActivations a, int t);

    /**
     * {@link #dotInt} of tokens t..t+3 of a batch of independent rows, bit for bit, into out[(t+i)·outStride + outOff + row];
     * {@code lanes} is scratch for 4 × 8 floats.
     */
    abstract void dotInt4(int row, QuantizedActivations a, int t, float[] out, int outStride, int outOff, float[] lanes);

    /**
     * {@link #dotInt} of the first tokens of a batch of independent rows through a kernel wider than {@link #dotInt4},
     * bit for bit, into out[t·outStride + outOff + row]; returns how many it did (0 where the type or host has none).
     */
    int dotWide(int row, QuantizedActivations a, int nTok, float[] out, int outStride, int outOff) {
        return 0;
    }

    /**
     * {@link #dotInt} of two rows for token t, into out[outA] and out[outB]; subclasses may read both rows at once.
     * {@code lanes} is scratch for 2 × 8 floats.
     */
    void dotInt2(int rowA, int rowB, QuantizedActivations a, int t, float[] out, int outA, int outB, float[] lanes) {
        out[outA] = dotInt(rowA, a, t);
        out[outB] = dotInt(rowB, a, t);
    }

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
        return Vectors.sum(acc);
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
    public final void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (xq.grid != ActivationGrid.Q8_0) throw new IllegalArgumentException(type() + " weights need q8_0 activations, got " + xq.grid);
        if (!IntKernels.ENABLED || (nTok >= 4 && !xq.independentRows)) {
            matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        float[] lanes = LANES.get();
        if (nTok == 1) {
            // plain decode: rows from the two halves of the range in pairs, two memory streams at once (see Q8_0Matrix.dotInt2)
            int half = (r1 - r0) / 2;
            for (int i = r0; i < r0 + half; i++) dotInt2(i, i + half, xq, 0, out, outOff + i, outOff + i + half, lanes);
            if (((r1 - r0) & 1) == 1) out[outOff + r1 - 1] = dotInt(r1 - 1, xq, 0);
            return;
        }
        for (int r = r0; r < r1; r++) {
            int t = 0;
            // a batched decode step: eight (dotWide, where a type has it) or four sequences share each decoded weight block
            if (xq.independentRows) {
                t = dotWide(r, xq, nTok, out, outStride, outOff);
                for (; t + 4 <= nTok; t += 4) dotInt4(r, xq, t, out, outStride, outOff, lanes);
            }
            for (; t < nTok; t++) out[t * outStride + outOff + r] = dotInt(r, xq, t);
        }
    }

    @Override
    public final void dequantizeRow(int row, float[] dst, int off) {
        long o = row * rowBytes;
        if (!Vectors.BLOCK_KERNELS) {
            lookupRow(row, dst, off);
            return;
        }
        // the same products as the scalar loop (one rounding of d·q each), PARTS vectors per block
        for (int at = off, end = off + cols; at < end; at += BLOCK, o += blockBytes) {
            FloatVector d = FloatVector.broadcast(F, scale(o));
            for (int p = 0; p < PARTS; p++) part(o, p).mul(d).intoArray(dst, at + p * L);
        }
    }

    /** {@link #dequantizeRow}'s values without vectors (see {@link WeightMatrix#lookupRow}). */
    @Override
    public final void lookupRow(int row, float[] dst, int off) {
        long o = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++, o += blockBytes) {
            float d = scale(o);
            for (int i = 0; i < BLOCK; i++) dst[off + b * BLOCK + i] = d * value(o, i);
        }
    }
}
