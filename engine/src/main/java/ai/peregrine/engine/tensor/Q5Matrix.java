package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.IntKernels.F8;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q5_0 and Q5_1: blocks of 32 five-bit values. Q5_0 is an fp16 scale d, 4 bytes of fifth bits, 16 bytes of
 * nibbles, value = d·(q − 16); Q5_1 adds an fp16 minimum m after d, value = d·q + m. Nibble byte j holds value j
 * (low) and value j+16 (high); bit i of the fifth-bit word is value i's. llama.cpp stores a K-quant's tensors in
 * these types where rows do not split into 256-value super-blocks (Falcon-7B's 4544 columns: its Q4_K_M and
 * Q5_K_M files). Decoded to f32 and multiplied with the activations rounded onto the q8_0 grid, as ggml's
 * q5 × q8 dot products see them.
 */
public final class Q5Matrix extends WeightMatrix {
    private static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Shift counts per part: value 8p + i takes bit 8p + i of the fifth-bit word. */
    private static final IntVector LANE = IntVector.fromArray(IntVector.SPECIES_256, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 0);
    private static final IntVector LANE8 = LANE.add(8), LANE16 = LANE.add(16), LANE24 = LANE.add(24);

    private final GgmlType type;
    private final boolean hasMin;
    private final int blockBytes;
    private final int bitsAt;

    public Q5Matrix(MemorySegment data, int rows, int cols, GgmlType type) {
        super(data, rows, cols, type);
        if (type != GgmlType.Q5_0 && type != GgmlType.Q5_1) throw new IllegalArgumentException("not a q5 type: " + type);
        this.type = type;
        this.hasMin = type == GgmlType.Q5_1;
        this.blockBytes = type.blockBytes;
        this.bitsAt = hasMin ? 4 : 2;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    /** Per-thread room for one decoded block (C2 boxes vectors returned from a helper it does not inline). */
    private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[32]);

    /** Stores the block's 32 values as stored (0..31, before the −16 or the minimum) into {@code v}. */
    private void decode(long address, float[] v) {
        IntVector bits = IntVector.broadcast(IntVector.SPECIES_256, MEMORY.get(U32, address + bitsAt));
        long nibbles = address + bitsAt + 4;
        // widened to ints before shifting, the four parts written out with constant shift counts. Before, a loop over
        // the parts shifted 8-byte vectors by a count that is constant only once C2 unrolls it; CI (an AVX-512 host) saw
        // q5_1 decode allocate 96 bytes per block, one 8-byte vector per part, which points there (not reproduced here)
        IntVector lo = (IntVector) ByteVector.fromMemorySegment(B8, MEMORY, nibbles, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, IntVector.SPECIES_256, 0);
        IntVector hi = (IntVector) ByteVector.fromMemorySegment(B8, MEMORY, nibbles + 8, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2I, IntVector.SPECIES_256, 0);
        IntVector q0 = lo.and(0x0F), q1 = hi.and(0x0F);
        IntVector q2 = lo.lanewise(VectorOperators.LSHR, 4).and(0x0F), q3 = hi.lanewise(VectorOperators.LSHR, 4).and(0x0F);
        // value 8p + i takes bit 8p + i of the fifth-bit word, as 16
        q0.or(bits.lanewise(VectorOperators.LSHR, LANE).and(1).lanewise(VectorOperators.LSHL, 4)).convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(v, 0);
        q1.or(bits.lanewise(VectorOperators.LSHR, LANE8).and(1).lanewise(VectorOperators.LSHL, 4)).convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(v, 8);
        q2.or(bits.lanewise(VectorOperators.LSHR, LANE16).and(1).lanewise(VectorOperators.LSHL, 4)).convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(v, 16);
        q3.or(bits.lanewise(VectorOperators.LSHR, LANE24).and(1).lanewise(VectorOperators.LSHL, 4)).convert(VectorOperators.I2F, 0).reinterpretAsFloats().intoArray(v, 24);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        int blocks = cols / 32;
        long address = base + row * rowBytes;
        float[] v = BLOCK.get();
        float sum = 0;
        for (int b = 0; b < blocks; b++, address += blockBytes) {
            decode(address, v);
            float d = Float.float16ToFloat(MEMORY.get(F16, address));
            int xi = xOff + b * 32;
            FloatVector x0 = FloatVector.fromArray(F8, x, xi), x1 = FloatVector.fromArray(F8, x, xi + 8);
            FloatVector x2 = FloatVector.fromArray(F8, x, xi + 16), x3 = FloatVector.fromArray(F8, x, xi + 24);
            FloatVector qx = FloatVector.fromArray(F8, v, 0).mul(x0).add(FloatVector.fromArray(F8, v, 8).mul(x1))
                    .add(FloatVector.fromArray(F8, v, 16).mul(x2).add(FloatVector.fromArray(F8, v, 24).mul(x3)));
            FloatVector sx = x0.add(x1).add(x2.add(x3));
            // Σ d·(q − 16)·x = d·(Σ q·x − 16·Σ x); Q5_1: Σ (d·q + m)·x = d·Σ q·x + m·Σ x
            float offset = hasMin ? Float.float16ToFloat(MEMORY.get(F16, address + 2)) : -16 * d;
            // lane sums in Vectors.sum8's order (reduceLanes' differs between the interpreter and C2, and a batched step
            // must equal a lone one), through the scratch block: passed to a helper the vectors would be boxed
            qx.intoArray(v, 0);
            sx.intoArray(v, 8);
            sum += d * Vectors.sum8(v, 0) + offset * Vectors.sum8(v, 8);
        }
        return sum;
    }

    /**
     * A prompt chunk (four tokens or more) goes through the f32 panel; decode steps, alone or batched, run row by
     * row with {@link #dot}, so a sequence gets the same bits in a batch as alone.
     */
    @Override
    public void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (nTok >= 4 && !xq.independentRows) {
            matmul(x, nTok, out, outStride, outOff, r0, r1);
            return;
        }
        for (int r = r0; r < r1; r++) {
            for (int t = 0; t < nTok; t++) out[t * outStride + outOff + r] = dot(r, x, t * cols);
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        int blocks = cols / 32;
        long address = base + row * rowBytes;
        float[] v = BLOCK.get();
        for (int b = 0; b < blocks; b++, address += blockBytes) {
            decode(address, v);
            float d = Float.float16ToFloat(MEMORY.get(F16, address));
            float m = hasMin ? Float.float16ToFloat(MEMORY.get(F16, address + 2)) : 0;
            for (int p = 0; p < 32; p += 8) {
                FloatVector q = FloatVector.fromArray(F8, v, p);
                // ggml: d·(q − 16) and d·q + m, one rounding each
                (hasMin ? q.fma(d, m) : q.sub(16).mul(d)).intoArray(dst, off + b * 32 + p);
            }
        }
    }

    /** {@link #dequantizeRow}'s values without vectors (see {@link WeightMatrix#lookupRow}): ggml's dequantize_row_q5_*. */
    @Override
    public void lookupRow(int row, float[] dst, int off) {
        long address = base + row * rowBytes;
        for (int b = 0, at = off; b < cols / 32; b++, address += blockBytes, at += 32) {
            float d = Float.float16ToFloat(MEMORY.get(F16, address));
            float m = hasMin ? Float.float16ToFloat(MEMORY.get(F16, address + 2)) : 0;
            int fifth = MEMORY.get(U32, address + bitsAt);
            long nibbles = address + bitsAt + 4;
            for (int i = 0; i < 32; i++) {
                int pair = MEMORY.get(ValueLayout.JAVA_BYTE, nibbles + (i & 15)) & 0xFF;
                int q = (i < 16 ? pair & 0x0F : pair >>> 4) | (fifth >>> i & 1) << 4;
                dst[at + i] = hasMin ? Math.fma((float) q, d, m) : (q - 16) * d;
            }
        }
    }
}
