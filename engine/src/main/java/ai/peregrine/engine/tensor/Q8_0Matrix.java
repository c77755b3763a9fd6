package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.B;
import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.IntKernels.B16;
import static ai.peregrine.engine.tensor.IntKernels.B32;
import static ai.peregrine.engine.tensor.IntKernels.S32;
import static ai.peregrine.engine.tensor.IntKernels.F8;
import static ai.peregrine.engine.tensor.IntKernels.I8;
import static ai.peregrine.engine.tensor.IntKernels.S16;
import static ai.peregrine.engine.tensor.Vectors.L;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/** Q8_0: blocks of 32 values, an fp16 scale then 32 int8. */
public final class Q8_0Matrix extends Block32Matrix {
    private static final int BLOCK_BYTES = 34;

    public Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.Q8_0);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    FloatVector part(long blockOffset, int part) {
        ByteVector q = ByteVector.fromMemorySegment(B, MEMORY, base + blockOffset + 2 + (long) part * L, ByteOrder.LITTLE_ENDIAN);
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    int value(long blockOffset, int i) {
        return MEMORY.get(java.lang.foreign.ValueLayout.JAVA_BYTE, base + blockOffset + 2 + i);
    }

    /**
     * Σ_blocks dw·dx·Σ qw·qx, as ggml computes a q8_0 × q8_0 dot: one accumulator, blocks in order, the arithmetic
     * every other integer kernel here repeats. Written out: through a helper returning the block's vector (as it once
     * was) C2 may decline to inline, and each call then boxes (seen: ~500 KB per batched step whose last token came here).
     */
    @Override
    float dotInt(int row, QuantizedActivations a, int t) {
        int blocks = cols / BLOCK;
        long address = base + row * rowBytes;
        short[] q = a.q;
        float[] dx = a.scale;
        int sb = t * blocks;
        FloatVector acc = FloatVector.zero(F8);
        for (int b = 0, x = t * cols; b < blocks; b++, address += BLOCK_BYTES, x += BLOCK) {
            ShortVector p = ((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0))
                    .mul(ShortVector.fromArray(S16, q, x))
                    .add(((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, address + 18, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0))
                            .mul(ShortVector.fromArray(S16, q, x + 16)));
            IntVector v = p.reinterpretAsInts();
            // IntKernels.pairSums, the same operations
            acc = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8, Float.float16ToFloat(MEMORY.get(F16, address)) * dx[sb + b]), acc);
        }
        return Vectors.sum8(acc);
    }

    /**
     * {@link #dotInt} of rows {@code rowA} and {@code rowB} for token t, bit for bit, into out[outA] and out[outB]. Given
     * rows far apart, the loop reads two streams at once, which keeps more memory reads in flight than one row at a
     * time: one thread's mat-vec over 696 MB of q8_0 rows read 10.2 GB/s against 8.4 row by row (two adjacent rows:
     * 5.2), two threads 14.4 against 12.9; whole-model decode gained 5-8% (20 interleaved rounds, noisy).
     */
    @Override
    void dotInt2(int rowA, int rowB, QuantizedActivations a, int t, float[] out, int outA, int outB, float[] lanes) {
        if (a.doubledValid && t == 0) {
            dotRows(rowA, rowB, a, out, outA, outB);
            return;
        }
        int blocks = cols / BLOCK;
        long addressA = base + rowA * rowBytes, addressB = base + rowB * rowBytes;
        short[] q = a.q;
        float[] dx = a.scale;
        int x = t * cols;
        int sb = t * blocks;
        FloatVector accA = FloatVector.zero(F8), accB = accA;
        // written out: through IntKernels' helpers C2 declines to inline ("callee uses too much stack") and boxes
        for (int b = 0; b < blocks; b++, addressA += BLOCK_BYTES, addressB += BLOCK_BYTES, x += BLOCK) {
            ShortVector x0 = ShortVector.fromArray(S16, q, x), x1 = ShortVector.fromArray(S16, q, x + 16);
            float d = dx[sb + b];
            IntVector pA = ((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, addressA + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                    .add(((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, addressA + 18, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1))
                    .reinterpretAsInts();
            IntVector pB = ((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, addressB + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0)).mul(x0)
                    .add(((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, addressB + 18, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0)).mul(x1))
                    .reinterpretAsInts();
            // IntKernels.pairSums, the same operations
            accA = ((FloatVector) pA.lanewise(VectorOperators.ASHR, 16).add(pA.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8, Float.float16ToFloat(MEMORY.get(F16, addressA)) * d), accA);
            accB = ((FloatVector) pB.lanewise(VectorOperators.ASHR, 16).add(pB.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F8, Float.float16ToFloat(MEMORY.get(F16, addressB)) * d), accB);
        }
        // through memory, as dotInt4: passing two vectors on to sum8 is past C2's inlining budget
        accA.intoArray(lanes, 0);
        accB.intoArray(lanes, 8);
        out[outA] = Vectors.sum8(lanes, 0);
        out[outB] = Vectors.sum8(lanes, 8);
    }

    /**
     * {@link #dotInt} for tokens t..t+3 of a batch at once, bit for bit: each block's weights are decoded once, as
     * integer-valued floats in the lane order of {@link IntKernels#pairSums} (even and odd elements of each half),
     * and multiplied with the tokens' activations in that order ({@link QuantizedActivations#permuted}). Every
     * lane's block sum is an integer below 2^24, so the f32 arithmetic is exact and equals the integer kernel's;
     * the per-block scaling then repeats {@link #dotInt}'s float operations exactly. Written out in full, one
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
        for (int b = 0; b < blocks; b++, address += BLOCK_BYTES) {
            float dw = Float.float16ToFloat(MEMORY.get(F16, address));
            IntVector lo = (IntVector) ByteVector.fromMemorySegment(B16, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0).reinterpretShape(I8, 0);
            IntVector hi = (IntVector) ByteVector.fromMemorySegment(B16, MEMORY, address + 18, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S16, 0).reinterpretShape(I8, 0);
            FloatVector wa = (FloatVector) lo.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wb = (FloatVector) lo.lanewise(VectorOperators.ASHR, 16).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wc = (FloatVector) hi.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).convertShape(VectorOperators.I2F, F8, 0);
            FloatVector wd = (FloatVector) hi.lanewise(VectorOperators.ASHR, 16).convertShape(VectorOperators.I2F, F8, 0);
            int k = b * BLOCK;
            e0 = wd.fma(FloatVector.fromArray(F8, p, x0 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x0 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x0 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x0 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s0 + b]), e0);
            e1 = wd.fma(FloatVector.fromArray(F8, p, x1 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x1 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x1 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x1 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s1 + b]), e1);
            e2 = wd.fma(FloatVector.fromArray(F8, p, x2 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x2 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x2 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x2 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s2 + b]), e2);
            e3 = wd.fma(FloatVector.fromArray(F8, p, x3 + k + 24), wc.fma(FloatVector.fromArray(F8, p, x3 + k + 16), wb.fma(FloatVector.fromArray(F8, p, x3 + k + 8), wa.mul(FloatVector.fromArray(F8, p, x3 + k)))))
                    .fma(FloatVector.broadcast(F8, dw * dx[s3 + b]), e3);
        }
        // through memory: passed to sum8 the four vectors would be boxed (C2 does not inline it this deep)
        e0.intoArray(lanes, 0);
        e1.intoArray(lanes, 8);
        e2.intoArray(lanes, 16);
        e3.intoArray(lanes, 24);
        int o = t * outStride + outOff + row;
        out[o] = Vectors.sum8(lanes, 0);
        out[o + outStride] = Vectors.sum8(lanes, 8);
        out[o + 2 * outStride] = Vectors.sum8(lanes, 16);
        out[o + 3 * outStride] = Vectors.sum8(lanes, 24);
    }

    /** A block's first (last) 16 weights in both halves of a vector: one half per token of a pair. */
    private static final VectorShuffle<Short> FIRST_TWICE = VectorShuffle.fromOp(S32, i -> i % 16);
    private static final VectorShuffle<Short> LAST_TWICE = VectorShuffle.fromOp(S32, i -> 16 + i % 16);
    /** Results of {@link #dotTwoPairs}: 2 pairs × 16 lanes, one per thread. */
    private static final ThreadLocal<float[]> PAIR_LANES = ThreadLocal.withInitial(() -> new float[32]);

    /** Whether batches take the token-pair kernels ({@link #dotWide}): 512-bit vectors in hardware (AVX-512), with the integer kernels on. */
    static boolean pairsTokens() {
        return Vectors.L == 16 && IntKernels.ENABLED;
    }

    @Override
    int dotWide(int row, QuantizedActivations a, int nTok, float[] out, int outStride, int outOff) {
        if (a.tokenPairs == null) return 0;
        int t = 0;
        // four tokens a call: a four-pair kernel (eight tokens per decoded block) measured no faster per token
        for (; t + 4 <= nTok; t += 4) dotTwoPairs(row, a, t, out, outStride, outOff);
        if (t + 2 <= nTok) {
            dotOnePair(row, a, t, out, outStride, outOff);
            t += 2;
        }
        return t;
    }

    /**
     * {@link #dotInt} of tokens t..t+3 of a batch at once (t even), bit for bit, two tokens per 512-bit vector: each half
     * holds one token's products, pair sums, conversion and scaling in the lanes and order {@link #dotInt} uses for it.
     * Half the vector operations per token of {@link #dotInt4}; each block's weights are widened once for the four.
     * Activations from {@link QuantizedActivations#tokenPairs}. Written out in full, as dotInt4.
     */
    private void dotTwoPairs(int row, QuantizedActivations a, int t, float[] out, int outStride, int outOff) {
        int blocks = cols / BLOCK;
        long address = base + row * rowBytes;
        short[] xp = a.tokenPairs;
        float[] ds = a.pairScales;
        FloatVector e0 = FloatVector.zero(IntKernels.F16), e1 = e0;
        int pairBlocks = blocks * 2 * BLOCK;
        int x0 = t / 2 * pairBlocks, x1 = x0 + pairBlocks;
        int d0 = t / 2 * blocks * 16, d1 = d0 + blocks * 16;
        for (int b = 0; b < blocks; b++, address += BLOCK_BYTES, x0 += 64, x1 += 64, d0 += 16, d1 += 16) {
            FloatVector dw = FloatVector.broadcast(IntKernels.F16, Float.float16ToFloat(MEMORY.get(F16, address)));
            ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B32, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S32, 0);
            ShortVector w0 = w.rearrange(FIRST_TWICE), w1 = w.rearrange(LAST_TWICE);
            IntVector p0 = w0.mul(ShortVector.fromArray(S32, xp, x0)).add(w1.mul(ShortVector.fromArray(S32, xp, x0 + 32))).reinterpretAsInts();
            IntVector p1 = w0.mul(ShortVector.fromArray(S32, xp, x1)).add(w1.mul(ShortVector.fromArray(S32, xp, x1 + 32))).reinterpretAsInts();
            e0 = ((FloatVector) p0.lanewise(VectorOperators.ASHR, 16).add(p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(IntKernels.F16, ds, d0)), e0);
            e1 = ((FloatVector) p1.lanewise(VectorOperators.ASHR, 16).add(p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(IntKernels.F16, ds, d1)), e1);
        }
        float[] lanes = PAIR_LANES.get();
        e0.intoArray(lanes, 0);
        e1.intoArray(lanes, 16);
        int o = t * outStride + outOff + row;
        for (int i = 0; i < 4; i++) out[o + i * outStride] = Vectors.sum8(lanes, 8 * i);
    }

    /** {@link #dotTwoPairs} for tokens t and t+1 (t even). */
    private void dotOnePair(int row, QuantizedActivations a, int t, float[] out, int outStride, int outOff) {
        int blocks = cols / BLOCK;
        long address = base + row * rowBytes;
        short[] xp = a.tokenPairs;
        float[] ds = a.pairScales;
        FloatVector e0 = FloatVector.zero(IntKernels.F16);
        int x0 = t / 2 * blocks * 2 * BLOCK;
        int d0 = t / 2 * blocks * 16;
        for (int b = 0; b < blocks; b++, address += BLOCK_BYTES, x0 += 64, d0 += 16) {
            FloatVector dw = FloatVector.broadcast(IntKernels.F16, Float.float16ToFloat(MEMORY.get(F16, address)));
            ShortVector w = (ShortVector) ByteVector.fromMemorySegment(B32, MEMORY, address + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S32, 0);
            IntVector p0 = w.rearrange(FIRST_TWICE).mul(ShortVector.fromArray(S32, xp, x0)).add(w.rearrange(LAST_TWICE).mul(ShortVector.fromArray(S32, xp, x0 + 32))).reinterpretAsInts();
            e0 = ((FloatVector) p0.lanewise(VectorOperators.ASHR, 16).add(p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(IntKernels.F16, ds, d0)), e0);
        }
        float[] lanes = PAIR_LANES.get();
        e0.intoArray(lanes, 0);
        int o = t * outStride + outOff + row;
        out[o] = Vectors.sum8(lanes, 0);
        out[o + outStride] = Vectors.sum8(lanes, 8);
    }

    /** Lanes 0..15 of one vector and 0..15 of another (16..31 of the result), for {@link #dotRows}. */
    private static final ShortVector FIRST_HALVES = (ShortVector) ShortVector.zero(S32).addIndex(1)
            .blend(ShortVector.zero(S32).addIndex(1).add((short) 16), ShortVector.zero(S32).addIndex(1).compare(VectorOperators.GE, (short) 16));
    /** Lanes 16..31 of one vector and 16..31 of another. */
    private static final ShortVector LAST_HALVES = FIRST_HALVES.add((short) 16);
    /** The upper 8 float lanes: row B's in {@link #dotRows}. */
    private static final VectorMask<Float> SECOND_ROW = FloatVector.zero(IntKernels.F16).addIndex(1).compare(VectorOperators.GE, 8f);
    /** Results of {@link #dotRows}: 2 rows × 8 lanes, one per thread. */
    private static final ThreadLocal<float[]> ROW_LANES = ThreadLocal.withInitial(() -> new float[16]);

    /**
     * {@link #dotInt} of rows A and B for a single token, bit for bit, both rows in one 512-bit vector: a block's first 16
     * weights of A and of B meet the token's first 16 values twice ({@link QuantizedActivations#doubled}), so each half
     * does dotInt's products, pair sums and scaling for its row, with half the vector operations of {@link #dotInt2}.
     */
    private void dotRows(int rowA, int rowB, QuantizedActivations a, float[] out, int outA, int outB) {
        int blocks = cols / BLOCK;
        long addressA = base + rowA * rowBytes, addressB = base + rowB * rowBytes;
        short[] xd = a.doubled;
        float[] dx = a.scale;
        FloatVector acc = FloatVector.zero(IntKernels.F16);
        for (int b = 0, x = 0; b < blocks; b++, addressA += BLOCK_BYTES, addressB += BLOCK_BYTES, x += 2 * BLOCK) {
            ShortVector wA = (ShortVector) ByteVector.fromMemorySegment(B32, MEMORY, addressA + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S32, 0);
            ShortVector wB = (ShortVector) ByteVector.fromMemorySegment(B32, MEMORY, addressB + 2, ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2S, S32, 0);
            ShortVector w0 = FIRST_HALVES.selectFrom(wA, wB), w1 = LAST_HALVES.selectFrom(wA, wB);
            IntVector p = w0.mul(ShortVector.fromArray(S32, xd, x)).add(w1.mul(ShortVector.fromArray(S32, xd, x + 32))).reinterpretAsInts();
            // per half: dw·dx, the product dotInt broadcasts
            FloatVector d = FloatVector.broadcast(IntKernels.F16, Float.float16ToFloat(MEMORY.get(F16, addressA)))
                    .blend(FloatVector.broadcast(IntKernels.F16, Float.float16ToFloat(MEMORY.get(F16, addressB))), SECOND_ROW).mul(dx[b]);
            acc = ((FloatVector) p.lanewise(VectorOperators.ASHR, 16).add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .convert(VectorOperators.I2F, 0)).fma(d, acc);
        }
        float[] lanes = ROW_LANES.get();
        acc.intoArray(lanes, 0);
        out[outA] = Vectors.sum8(lanes, 0);
        out[outB] = Vectors.sum8(lanes, 8);
    }
}
