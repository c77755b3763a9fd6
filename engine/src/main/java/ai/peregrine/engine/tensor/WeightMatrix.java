package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight in its file layout (rows of {@code cols} elements, each row a run of ggml blocks),
 * read straight from the mapped file. Computes {@code out = W · x} without dequantizing the matrix.
 */
public abstract class WeightMatrix {
    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;
    protected final long rowBytes;
    /** Native address of the first byte, for kernels that read through {@link #MEMORY}. */
    protected final long base;

    /**
     * All of native memory as one segment of the global scope. The hot kernels read weights through it by
     * address: its scope is always alive and its bounds are constant, so the JIT drops the per-access
     * liveness and bounds checks that a mapped file's segment needs (~7% of a Q8_0 mat-vec here). The
     * constructor checks the matrix lies inside {@code data}; the model keeps the mapping open while sessions run.
     */
    protected static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    protected WeightMatrix(MemorySegment data, int rows, int cols, GgmlType type) {
        this(data, rows, cols, type.bytesFor(cols), type.toString());
    }

    /** For layouts of Peregrine's own ({@link Q4_0x8Matrix}): {@code rowBytes} bytes per row on average. */
    protected WeightMatrix(MemorySegment data, int rows, int cols, long rowBytes, String layout) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = rowBytes;
        if (!data.isNative()) throw new IllegalArgumentException("weights must be in native (mapped or allocated) memory");
        this.base = data.address();
        if (data.byteSize() != rowBytes * rows) {
            throw new IllegalArgumentException(layout + " matrix " + rows + "x" + cols + " needs " + rowBytes * rows + " bytes, got " + data.byteSize());
        }
    }

    public abstract GgmlType type();

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    /** Dot product of row {@code row} with {@code x[xOff, xOff + cols)}. */
    public abstract float dot(int row, float[] x, int xOff);

    /**
     * Like {@link #matmul}, given the same input also quantized onto the type's integer grid ({@code xq}: q8_0 for
     * q8_0/q4_0, q8_K for the K-quants); types with an integer kernel use it for small token counts, others ignore
     * it and use the f32 values.
     */
    public void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        matmul(x, nTok, out, outStride, outOff, r0, r1);
    }

    /** Writes row {@code row} as floats into {@code dst[off, off + cols)} (the prompt kernels' row decode). */
    public abstract void dequantizeRow(int row, float[] dst, int off);

    /**
     * {@link #dequantizeRow}'s values, for an embedding lookup: one row per token is too few calls for C2 to compile
     * a Vector API decode that nothing else runs hot, and until it does the interpreter and C1 box every vector (a
     * repacked Q4_0 embedding allocated ~134 KB per decoded TinyLlama token). Such types give a scalar version.
     */
    public void lookupRow(int row, float[] dst, int off) {
        dequantizeRow(row, dst, off);
    }

    /**
     * A prompt chunk (tokens of one sequence, at least {@link #prefillApplies} of them) laid out once in token
     * panels: {@code out[t*outStride + outOff + r] = row r · token t} for rows r in [r0, r1), through
     * {@link PrefillGemm}'s outer-product tiles over f32 rows from {@link #dequantizeRow}.
     */
    public void prefill(TokenPanels x, float[] out, int outStride, int outOff, int r0, int r1) {
        PrefillGemm.multiply(this, x, out, outStride, outOff, r0, r1);
    }

    /** Whether a prompt chunk of {@code nTok} tokens should go through {@link #prefill}. */
    public static boolean prefillApplies(int nTok) {
        return PrefillGemm.applies(nTok);
    }

    /**
     * For tokens t in [0, nTok) and rows r in [r0, r1): {@code out[t*outStride + outOff + r] = row r · x[t*cols ...]}.
     * From four tokens on, rows are decoded once into an f32 panel shared by all tokens ({@link PanelGemm}).
     */
    public void matmul(float[] x, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (PanelGemm.applies(nTok)) {
            PanelGemm.multiply(this, x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            for (int t = 0; t < nTok; t++) {
                out[t * outStride + outOff + r] = dot(r, x, t * cols);
            }
        }
    }
}
