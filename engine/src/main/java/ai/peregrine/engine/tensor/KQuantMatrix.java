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
 * The K-quants (q4_K, q5_K, q6_K): super-blocks of 256 values split into sub-blocks (8 of 32, or 16 of 16),
 * each sub-block with its own scale (and, for q4_K/q5_K, minimum) derived from the super-block's fp16 factors:
 * value = scale_j·q − min_j. The f32 side (rows decoded for {@link PanelGemm}'s prefill, and a mat-vec where the
 * integer kernels are off) lives here and only asks a subclass to decode values and sub-block factors; subclasses
 * add their integer kernel for decode, which works on q8_K activations as ggml's {@code ggml_vec_dot_qN_K_q8_K} does.
 */
abstract sealed class KQuantMatrix extends WeightMatrix permits Q4_KMatrix, Q5_KMatrix, Q6_KMatrix {
    static final int SUPER = 256;
    static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final int blockBytes;
    /** Values per sub-block: 32 (q4_K, q5_K) or 16 (q6_K). */
    final int sub;
    /** Float vectors per sub-block. */
    private final int subParts;

    KQuantMatrix(MemorySegment data, int rows, int cols, GgmlType type, int sub) {
        super(data, rows, cols, type);
        this.blockBytes = type.blockBytes;
        this.sub = sub;
        this.subParts = Math.max(1, sub / Math.max(L, 1));
    }

    /** Values [part·L, part·L + L) of the super-block at {@code blockOffset} (from the start of the matrix), unscaled. */
    abstract FloatVector part(long blockOffset, int part);

    /** Value i (0..255) of the super-block, unscaled. */
    abstract int value(long blockOffset, int i);

    /** Sub-block j's scale, computed as ggml's dequantizer computes it (super-block factor · sub-block code). */
    abstract float subScale(long blockOffset, int j);

    /** Sub-block j's minimum (subtracted from scale·q); 0 for types without minimums. */
    abstract float subMin(long blockOffset, int j);

    /** Row · (q8_K-quantized token t) with integer arithmetic. */
    abstract float dotInt(int row, QuantizedActivations a, int t);

    final float half(long address) {
        return Float.float16ToFloat(MEMORY.get(F16, address));
    }

    /**
     * One accumulator over the columns in order, with the weights {@link #dequantizeRow} writes: the arithmetic of
     * {@link PanelGemm} (and {@link VectorMath#dot}), so a row gives the same result whichever path computes it.
     */
    @Override
    public final float dot(int row, float[] x, int xOff) {
        if (!Vectors.BLOCK_KERNELS) return dotScalar(row, x, xOff);
        FloatVector acc = FloatVector.zero(F);
        long off = row * rowBytes;
        for (int b = 0, xi = xOff; b < cols / SUPER; b++, off += blockBytes) {
            for (int j = 0; j < SUPER / sub; j++) {
                FloatVector d = FloatVector.broadcast(F, subScale(off, j));
                FloatVector m = FloatVector.broadcast(F, subMin(off, j));
                for (int p = j * subParts; p < (j + 1) * subParts; p++, xi += L) {
                    acc = part(off, p).mul(d).sub(m).fma(FloatVector.fromArray(F, x, xi), acc);
                }
            }
        }
        return Vectors.sum(acc);
    }

    private float dotScalar(int row, float[] x, int xOff) {
        float acc = 0;
        long off = row * rowBytes;
        for (int b = 0; b < cols / SUPER; b++, off += blockBytes) {
            for (int j = 0; j < SUPER / sub; j++) {
                float d = subScale(off, j), m = subMin(off, j);
                for (int i = j * sub; i < (j + 1) * sub; i++) acc += (d * value(off, i) - m) * x[xOff + b * SUPER + i];
            }
        }
        return acc;
    }

    /** Prefill (four tokens or more) goes through {@link PanelGemm} with {@link #dequantizeRow}; decode through the integer kernels. */
    @Override
    public final void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (xq.grid != ActivationGrid.Q8_K) throw new IllegalArgumentException(type() + " weights need q8_K activations, got " + xq.grid);
        if (!IntKernels.ENABLED || (nTok >= 4 && !xq.independentRows)) {
            matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            for (int t = 0; t < nTok; t++) out[t * outStride + outOff + r] = dotInt(r, xq, t);
        }
    }

    /**
     * As ggml's {@code dequantize_row_qN_K}: scale·q − min with the same two roundings (a multiply, then a subtraction,
     * also in the vector form), so embeddings and prefill panels match ggml's values bit for bit.
     */
    @Override
    public final void dequantizeRow(int row, float[] dst, int off) {
        if (!Vectors.BLOCK_KERNELS) {
            lookupRow(row, dst, off);
            return;
        }
        long o = row * rowBytes;
        for (int b = 0, at = off; b < cols / SUPER; b++, o += blockBytes) {
            for (int j = 0; j < SUPER / sub; j++, at += sub) {
                FloatVector dv = FloatVector.broadcast(F, subScale(o, j)), mv = FloatVector.broadcast(F, subMin(o, j));
                for (int p = 0; p < subParts; p++) part(o, j * subParts + p).mul(dv).sub(mv).intoArray(dst, at + p * L);
            }
        }
    }

    /** {@link #dequantizeRow}'s values without vectors (see {@link WeightMatrix#lookupRow}). */
    @Override
    public final void lookupRow(int row, float[] dst, int off) {
        long o = row * rowBytes;
        for (int b = 0, at = off; b < cols / SUPER; b++, o += blockBytes) {
            for (int j = 0; j < SUPER / sub; j++, at += sub) {
                float d = subScale(o, j), m = subMin(o, j);
                for (int i = 0; i < sub; i++) dst[at + i] = d * value(o, j * sub + i) - m;
            }
        }
    }
}
