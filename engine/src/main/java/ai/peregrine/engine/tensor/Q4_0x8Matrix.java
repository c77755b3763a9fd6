package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.IntKernels.B16;
import static ai.peregrine.engine.tensor.IntKernels.F8;
import static ai.peregrine.engine.tensor.IntKernels.I8;
import static ai.peregrine.engine.tensor.IntKernels.S16;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0 weights repacked at load so that one vector operation serves 8 rows (llama.cpp repacks Q4_0 at load for the
 * same reason). Rows go in groups of 8; per group and block of 32 columns there are 160 bytes: the 8 rows' scales
 * as f32, then 8 chunks of 16 bytes, chunk c holding bytes 2c and 2c+1 of row r's block at bytes 2r and 2r+1.
 * Zero-extended to 16 shorts, chunk c's low nibbles are elements (2c, 2c+1) of all 8 rows and its high nibbles
 * elements (2c+16, 2c+17), so each is multiplied by one broadcast pair of activations, and after the 8 chunks
 * each int lane holds one row's whole block sum. The mapped layout needs a horizontal sum per row and block
 * instead; this one needs one FMA per block for 8 rows, about half the instructions per weight.
 *
 * <p>Integer sums are exact: a short lane adds 16 products |n·q| ≤ 15·127, at most 30480. So the float arithmetic
 * per token is fixed, and {@link #matmul} gives a token the same bits alone, in a batch, or in any row range.
 */
public final class Q4_0x8Matrix extends WeightMatrix {
    static final int GROUP = 8;
    private static final int BLOCK = 32;
    private static final int GROUP_BLOCK_BYTES = 160;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Results of a group that is only partly inside the requested row range: 4 tokens × 8 rows. */
    private static final ThreadLocal<float[]> PARTIAL = ThreadLocal.withInitial(() -> new float[4 * GROUP]);

    private final int blocks;

    private Q4_0x8Matrix(MemorySegment packed, int rows, int cols) {
        super(packed, rows, cols, (long) cols / BLOCK * GROUP_BLOCK_BYTES / GROUP, "repacked Q4_0");
        this.blocks = cols / BLOCK;
    }

    /** The kernels need 256-bit integer vectors (AVX2 and up), as the mapped layout's integer kernels do. */
    public static boolean applies() {
        return IntKernels.ENABLED;
    }

    /**
     * The repacked copy of {@code source} (in memory the garbage collector frees with the matrix), or
     * {@code source} itself when its row count is not a multiple of 8. Groups are repacked in parallel. A mapped
     * source's pages are then released ({@link MemorySegment#unload}); reading them again just maps them back in.
     */
    public static WeightMatrix repack(Q4_0Matrix source) {
        if (!repackable(source.rows, source.cols)) return source;
        return repackInto(source, Arena.ofAuto().allocate(packedBytes(source.rows, source.cols), 64));
    }

    /** Whether a Q4_0 matrix of this shape has a repacked form: whole groups of 8 rows. */
    public static boolean repackable(long rows, long cols) {
        return rows % GROUP == 0 && cols % BLOCK == 0;
    }

    /** Bytes of the repacked form of a rows × cols Q4_0 matrix. */
    public static long packedBytes(long rows, long cols) {
        return rows / GROUP * (cols / BLOCK) * GROUP_BLOCK_BYTES;
    }

    /**
     * Repacks {@code source} into {@code packed} ({@link #packedBytes} long, e.g. a mapped cache file, see
     * {@code RepackCache}) and returns the matrix over it; then releases a mapped source's pages, as {@link #repack}.
     */
    public static Q4_0x8Matrix repackInto(Q4_0Matrix source, MemorySegment packed) {
        if (!repackable(source.rows, source.cols)) throw new IllegalArgumentException("a " + source.rows + "x" + source.cols + " matrix has no repacked form");
        checkSize(packed, source.rows, source.cols);
        int blocks = source.cols / BLOCK;
        long to = packed.address();
        IntStream.range(0, source.rows / GROUP).parallel().forEach(g -> repackGroup(source, g, blocks, to));
        if (source.data.isMapped()) source.data.unload();
        return new Q4_0x8Matrix(packed, source.rows, source.cols);
    }

    /** The matrix over bytes {@link #repackInto} wrote earlier (a cache file mapped again). */
    public static Q4_0x8Matrix ofPacked(MemorySegment packed, int rows, int cols) {
        if (!repackable(rows, cols)) throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix has no repacked form");
        checkSize(packed, rows, cols);
        return new Q4_0x8Matrix(packed, rows, cols);
    }

    private static void checkSize(MemorySegment packed, long rows, long cols) {
        if (packed.byteSize() != packedBytes(rows, cols)) {
            throw new IllegalArgumentException("repacked " + rows + "x" + cols + " Q4_0 takes " + packedBytes(rows, cols) + " bytes, got " + packed.byteSize());
        }
    }

    private static void repackGroup(Q4_0Matrix source, int g, int blocks, long to) {
        long out = to + (long) g * blocks * GROUP_BLOCK_BYTES;
        long in = source.base + (long) GROUP * g * source.rowBytes;
        long row = source.rowBytes;
        for (int b = 0; b < blocks; b++, out += GROUP_BLOCK_BYTES, in += 18) {
            for (int r = 0; r < GROUP; r++) MEMORY.set(F32, out + 4L * r, Float.float16ToFloat(MEMORY.get(Block32Matrix.F16, in + r * row)));
            // chunk c = the 2-byte units c of rows 0..7, written as two longs
            for (int c = 0; c < 8; c++) {
                long at = in + 2 + 2L * c;
                long first = unit(at) | unit(at + row) << 16 | unit(at + 2 * row) << 32 | unit(at + 3 * row) << 48;
                long second = unit(at + 4 * row) | unit(at + 5 * row) << 16 | unit(at + 6 * row) << 32 | unit(at + 7 * row) << 48;
                MEMORY.set(LONG, out + 32 + 16L * c, first);
                MEMORY.set(LONG, out + 40 + 16L * c, second);
            }
        }
    }

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static long unit(long address) {
        return MEMORY.get(SHORT, address) & 0xFFFFL;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void matmul(float[] x, QuantizedActivations xq, int nTok, float[] out, int outStride, int outOff, int r0, int r1) {
        if (xq.grid != ActivationGrid.Q8_0) throw new IllegalArgumentException("q4_0 weights need q8_0 activations, got " + xq.grid);
        if (nTok == 1) {
            decode(xq, 0, out, outOff, r0, r1);
            return;
        }
        int tiles = nTok / 4 * 4;
        for (int g = r0 / GROUP; tiles > 0 && g * GROUP < r1; g++) {
            int first = g * GROUP;
            boolean whole = first >= r0 && first + GROUP <= r1;
            boolean pairs = xq.pairPairs != null; // AVX-512 batches: groupPairs, else group4
            for (int t = 0; t < tiles; t += 4) {
                if (whole) {
                    if (pairs) groupPairs(g, xq, t, out, t * outStride + outOff + first, outStride);
                    else group4(g, xq, t, out, t * outStride + outOff + first, outStride);
                } else {
                    float[] partial = PARTIAL.get();
                    if (pairs) groupPairs(g, xq, t, partial, 0, GROUP);
                    else group4(g, xq, t, partial, 0, GROUP);
                    for (int i = 0; i < 4; i++) copyRows(partial, i * GROUP, first, r0, r1, out, (t + i) * outStride + outOff);
                }
            }
        }
        // the last one to three tokens as plain decode does a token (two groups, two memory streams at once): the same bits
        for (int t = tiles; t < nTok; t++) decode(xq, t, out, t * outStride + outOff, r0, r1);
    }

    /**
     * One token (plain decode): the whole groups of [r0, r1) in pairs from the range's two halves, each pair in one
     * pass sharing the broadcasts of the activations and reading two memory streams at once (see
     * {@link Q8_0Matrix#dotInt2}); groups cut by the range's ends through {@link #group1}.
     */
    private void decode(QuantizedActivations xq, int t, float[] out, int outOff, int r0, int r1) {
        int first = (r0 + GROUP - 1) / GROUP, end = Math.max(first, r1 / GROUP);
        int half = (end - first) / 2;
        for (int g = first; g < first + half; g++) group1x2(g, g + half, xq, t, out, outOff + g * GROUP, outOff + (g + half) * GROUP);
        for (int g = first + 2 * half; g < end; g++) group1(g, xq, t, out, outOff + g * GROUP);
        if (r0 < first * GROUP) partialGroup(r0 / GROUP, xq, t, out, outOff, r0, r1);
        if (end * GROUP < r1 && end * GROUP >= r0) partialGroup(end, xq, t, out, outOff, r0, r1);
    }

    private void partialGroup(int g, QuantizedActivations xq, int t, float[] out, int outOff, int r0, int r1) {
        float[] partial = PARTIAL.get();
        group1(g, xq, t, partial, 0);
        copyRows(partial, 0, g * GROUP, r0, r1, out, outOff);
    }

    private static void copyRows(float[] partial, int from, int first, int r0, int r1, float[] out, int rowZero) {
        for (int r = Math.max(first, r0); r < Math.min(first + GROUP, r1); r++) out[rowZero + r] = partial[from + r - first];
    }

    /** Rows 8g..8g+7 · token t into dst[dstOff, dstOff + 8). */
    private void group1(int g, QuantizedActivations a, int t, float[] dst, int dstOff) {
        int[] pairs = a.pairs;
        float[] dx = a.scale;
        int[] sum = a.sum;
        int sb = t * blocks;
        int x = t * blocks * 16;
        long at = base + (long) g * blocks * GROUP_BLOCK_BYTES;
        FloatVector acc = FloatVector.zero(F8);
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES, x += 16) {
            ShortVector s = ShortVector.zero(S16);
            // a loop rather than eight copies: written out, the body passes C2's inlining node budget and vectors get boxed
            for (int c = 0; c < 8; c++) {
                ShortVector n = (ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, at + 32 + 16 * c, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S16, 0);
                s = s.add(n.and((short) 15).mul(IntVector.broadcast(I8, pairs[x + c]).reinterpretAsShorts()))
                        .add(n.lanewise(VectorOperators.LSHR, 4).mul(IntVector.broadcast(I8, pairs[x + 8 + c]).reinterpretAsShorts()));
            }
            // pairs of shorts summed into ints, the −8 storage offset taken off exactly in integers, one FMA for 8 rows
            IntVector v = s.reinterpretAsInts();
            IntVector sums = v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(sum[sb + b] << 3);
            acc = ((FloatVector) sums.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromMemorySegment(F8, MEMORY, at, ByteOrder.LITTLE_ENDIAN).mul(dx[sb + b]), acc);
        }
        acc.intoArray(dst, dstOff);
    }

    /** {@link #group1} of token t for groups g and h into dst[gOff, gOff + 8) and dst[hOff, hOff + 8), the same operations per row. */
    private void group1x2(int g, int h, QuantizedActivations a, int t, float[] dst, int gOff, int hOff) {
        int[] pairs = a.pairs;
        float[] dx = a.scale;
        int[] sum = a.sum;
        int sb = t * blocks;
        long at = base + (long) g * blocks * GROUP_BLOCK_BYTES;
        long next = (long) (h - g) * blocks * GROUP_BLOCK_BYTES;
        FloatVector acc0 = FloatVector.zero(F8), acc1 = acc0;
        for (int b = 0, x = t * blocks * 16; b < blocks; b++, at += GROUP_BLOCK_BYTES, x += 16) {
            ShortVector s0 = ShortVector.zero(S16), s1 = s0;
            for (int c = 0; c < 8; c++) {
                ShortVector p = IntVector.broadcast(I8, pairs[x + c]).reinterpretAsShorts();
                ShortVector q = IntVector.broadcast(I8, pairs[x + 8 + c]).reinterpretAsShorts();
                ShortVector n0 = (ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, at + 32 + 16 * c, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S16, 0);
                ShortVector n1 = (ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, at + next + 32 + 16 * c, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S16, 0);
                s0 = s0.add(n0.and((short) 15).mul(p)).add(n0.lanewise(VectorOperators.LSHR, 4).mul(q));
                s1 = s1.add(n1.and((short) 15).mul(p)).add(n1.lanewise(VectorOperators.LSHR, 4).mul(q));
            }
            float scale = dx[sb + b];
            int offset = sum[sb + b] << 3;
            IntVector v = s0.reinterpretAsInts();
            acc0 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(offset)
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromMemorySegment(F8, MEMORY, at, ByteOrder.LITTLE_ENDIAN).mul(scale), acc0);
            v = s1.reinterpretAsInts();
            acc1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(offset)
                    .convert(VectorOperators.I2F, 0)).fma(FloatVector.fromMemorySegment(F8, MEMORY, at + next, ByteOrder.LITTLE_ENDIAN).mul(scale), acc1);
        }
        acc0.intoArray(dst, gOff);
        acc1.intoArray(dst, hOff);
    }

    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final VectorSpecies<Long> L8 = LongVector.SPECIES_512;
    /** Each of the first 8 lanes twice (i → i/2): a chunk's rows, or the group's scales, side by side for two tokens. */
    private static final VectorShuffle<Integer> TWICE = VectorShuffle.fromOp(I16, i -> i / 2);
    private static final VectorShuffle<Float> TWICE_F = VectorShuffle.fromOp(IntKernels.F16, i -> i / 2);
    /** Results of {@link #groupPairs}: 2 pairs × 16 lanes, one per thread. */
    private static final ThreadLocal<float[]> PAIR_LANES = ThreadLocal.withInitial(() -> new float[32]);

    /**
     * {@link #group4} on AVX-512, two tokens per 512-bit vector: each chunk's 16 shorts (8 rows × 2) are widened once and
     * every int lane doubled, so lane 2r holds row r for the first token of a pair and lane 2r+1 for the second, and one
     * 64-bit broadcast ({@link QuantizedActivations#pairPairs}) meets both. Per row and token, {@link #group1}'s integer
     * sums, offset, conversion and scaling in the same order: the same bits. Written out in full, as group4.
     */
    private void groupPairs(int g, QuantizedActivations a, int t, float[] dst, int dstOff, int dstStride) {
        long[] pp = a.pairPairs;
        float[] dx = a.scale;
        int[] sum = a.sum;
        int sb0 = t * blocks, sb1 = sb0 + blocks, sb2 = sb1 + blocks, sb3 = sb2 + blocks;
        int x0 = t / 2 * blocks * 16, x1 = x0 + blocks * 16;
        long at = base + (long) g * blocks * GROUP_BLOCK_BYTES;
        FloatVector acc0 = FloatVector.zero(IntKernels.F16), acc1 = acc0;
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES, x0 += 16, x1 += 16) {
            ShortVector s0 = ShortVector.zero(IntKernels.S32), s1 = s0;
            for (int c = 0; c < 8; c++) {
                ShortVector n = ((IntVector) ((ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, at + 32 + 16 * c, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S16, 0)).reinterpretAsInts().reinterpretShape(I16, 0)).rearrange(TWICE).reinterpretAsShorts();
                ShortVector lo = n.and((short) 15);
                ShortVector hi = n.lanewise(VectorOperators.LSHR, 4);
                s0 = s0.add(lo.mul(LongVector.broadcast(L8, pp[x0 + c]).reinterpretAsShorts())).add(hi.mul(LongVector.broadcast(L8, pp[x0 + 8 + c]).reinterpretAsShorts()));
                s1 = s1.add(lo.mul(LongVector.broadcast(L8, pp[x1 + c]).reinterpretAsShorts())).add(hi.mul(LongVector.broadcast(L8, pp[x1 + 8 + c]).reinterpretAsShorts()));
            }
            // the group's 8 row scales, each twice (the 64 bytes loaded run past them into the chunks; those lanes go unused)
            FloatVector d = FloatVector.fromMemorySegment(IntKernels.F16, MEMORY, at, ByteOrder.LITTLE_ENDIAN).rearrange(TWICE_F);
            IntVector v = s0.reinterpretAsInts();
            long offsets = (sum[sb0 + b] << 3 & 0xFFFF_FFFFL) | (long) (sum[sb1 + b] << 3) << 32;
            long scales = (Float.floatToRawIntBits(dx[sb0 + b]) & 0xFFFF_FFFFL) | (long) Float.floatToRawIntBits(dx[sb1 + b]) << 32;
            acc0 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .sub(LongVector.broadcast(L8, offsets).reinterpretAsInts()).convert(VectorOperators.I2F, 0))
                    .fma(d.mul(LongVector.broadcast(L8, scales).reinterpretAsFloats()), acc0);
            v = s1.reinterpretAsInts();
            offsets = (sum[sb2 + b] << 3 & 0xFFFF_FFFFL) | (long) (sum[sb3 + b] << 3) << 32;
            scales = (Float.floatToRawIntBits(dx[sb2 + b]) & 0xFFFF_FFFFL) | (long) Float.floatToRawIntBits(dx[sb3 + b]) << 32;
            acc1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .sub(LongVector.broadcast(L8, offsets).reinterpretAsInts()).convert(VectorOperators.I2F, 0))
                    .fma(d.mul(LongVector.broadcast(L8, scales).reinterpretAsFloats()), acc1);
        }
        float[] lanes = PAIR_LANES.get();
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, 16);
        for (int r = 0; r < GROUP; r++) {
            dst[dstOff + r] = lanes[2 * r];
            dst[dstOff + dstStride + r] = lanes[2 * r + 1];
            dst[dstOff + 2 * dstStride + r] = lanes[16 + 2 * r];
            dst[dstOff + 3 * dstStride + r] = lanes[16 + 2 * r + 1];
        }
    }

    /**
     * {@link #group1} for tokens t..t+3, each chunk decoded once for the four; token i's rows go to
     * dst[dstOff + i·dstStride, +8). Every token sees exactly {@link #group1}'s operations.
     */
    private void group4(int g, QuantizedActivations a, int t, float[] dst, int dstOff, int dstStride) {
        int[] pairs = a.pairs;
        float[] dx = a.scale;
        int[] sum = a.sum;
        int sb0 = t * blocks, sb1 = sb0 + blocks, sb2 = sb1 + blocks, sb3 = sb2 + blocks;
        int x0 = t * blocks * 16, x1 = x0 + blocks * 16, x2 = x1 + blocks * 16, x3 = x2 + blocks * 16;
        long at = base + (long) g * blocks * GROUP_BLOCK_BYTES;
        FloatVector acc0 = FloatVector.zero(F8), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES, x0 += 16, x1 += 16, x2 += 16, x3 += 16) {
            ShortVector s0 = ShortVector.zero(S16), s1 = s0, s2 = s0, s3 = s0;
            for (int c = 0; c < 8; c++) {
                ShortVector n = (ShortVector) ByteVector.fromMemorySegment(B16, MEMORY, at + 32 + 16 * c, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S16, 0);
                ShortVector lo = n.and((short) 15);
                ShortVector hi = n.lanewise(VectorOperators.LSHR, 4);
                s0 = s0.add(lo.mul(IntVector.broadcast(I8, pairs[x0 + c]).reinterpretAsShorts())).add(hi.mul(IntVector.broadcast(I8, pairs[x0 + 8 + c]).reinterpretAsShorts()));
                s1 = s1.add(lo.mul(IntVector.broadcast(I8, pairs[x1 + c]).reinterpretAsShorts())).add(hi.mul(IntVector.broadcast(I8, pairs[x1 + 8 + c]).reinterpretAsShorts()));
                s2 = s2.add(lo.mul(IntVector.broadcast(I8, pairs[x2 + c]).reinterpretAsShorts())).add(hi.mul(IntVector.broadcast(I8, pairs[x2 + 8 + c]).reinterpretAsShorts()));
                s3 = s3.add(lo.mul(IntVector.broadcast(I8, pairs[x3 + c]).reinterpretAsShorts())).add(hi.mul(IntVector.broadcast(I8, pairs[x3 + 8 + c]).reinterpretAsShorts()));
            }
            FloatVector d = FloatVector.fromMemorySegment(F8, MEMORY, at, ByteOrder.LITTLE_ENDIAN);
            IntVector v = s0.reinterpretAsInts();
            acc0 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(sum[sb0 + b] << 3)
                    .convert(VectorOperators.I2F, 0)).fma(d.mul(dx[sb0 + b]), acc0);
            v = s1.reinterpretAsInts();
            acc1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(sum[sb1 + b] << 3)
                    .convert(VectorOperators.I2F, 0)).fma(d.mul(dx[sb1 + b]), acc1);
            v = s2.reinterpretAsInts();
            acc2 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(sum[sb2 + b] << 3)
                    .convert(VectorOperators.I2F, 0)).fma(d.mul(dx[sb2 + b]), acc2);
            v = s3.reinterpretAsInts();
            acc3 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).sub(sum[sb3 + b] << 3)
                    .convert(VectorOperators.I2F, 0)).fma(d.mul(dx[sb3 + b]), acc3);
        }
        acc0.intoArray(dst, dstOff);
        acc1.intoArray(dst, dstOff + dstStride);
        acc2.intoArray(dst, dstOff + 2 * dstStride);
        acc3.intoArray(dst, dstOff + 3 * dstStride);
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        float[] buffer = rowBuffer();
        dequantizeRow(row, buffer, 0);
        return VectorMath.dot(buffer, 0, x, xOff, cols);
    }

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private float[] rowBuffer() {
        float[] b = ROW.get();
        if (b.length < cols) ROW.set(b = new float[cols]);
        return b;
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The same values as {@link Q4_0Matrix#dequantizeRow} (one rounding of d·(n − 8) each). The row's 16 quant bytes
     * of a block lie as 8 pairs, one per chunk; gathered back in order they are the mapped block's bytes, which
     * decode as 32 values with four vector conversions (prefill decodes every row once per chunk this way: scalar,
     * it took about 40% of a q4_0 prompt's time).
     */
    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        int r = row % GROUP;
        long at = base + (long) (row / GROUP) * blocks * GROUP_BLOCK_BYTES;
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES) {
            long pairs = at + 32 + 2L * r;
            long lo = pair(pairs) | pair(pairs + 16) << 16 | pair(pairs + 32) << 32 | pair(pairs + 48) << 48;
            long hi = pair(pairs + 64) | pair(pairs + 80) << 16 | pair(pairs + 96) << 32 | pair(pairs + 112) << 48;
            // built in registers: two long stores read back as one vector would stall store forwarding
            ByteVector q = LongVector.zero(LongVector.SPECIES_128).withLane(0, lo).withLane(1, hi).reinterpretAsBytes();
            ByteVector low = q.and((byte) 15).sub((byte) 8), high = q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
            FloatVector d = FloatVector.broadcast(F8, MEMORY.get(F32, at + 4L * r));
            int o = off + b * BLOCK;
            ((FloatVector) low.convertShape(VectorOperators.B2F, F8, 0)).mul(d).intoArray(dst, o);
            ((FloatVector) low.convertShape(VectorOperators.B2F, F8, 1)).mul(d).intoArray(dst, o + 8);
            ((FloatVector) high.convertShape(VectorOperators.B2F, F8, 0)).mul(d).intoArray(dst, o + 16);
            ((FloatVector) high.convertShape(VectorOperators.B2F, F8, 1)).mul(d).intoArray(dst, o + 24);
        }
    }

    /**
     * {@link #dequantizeRow}'s values without vectors: on AVX-512 hosts the prompt kernels decode whole groups
     * ({@link #dequantizeGroup}), so row decoding runs only for embedding lookups and never gets hot.
     */
    @Override
    public void lookupRow(int row, float[] dst, int off) {
        int r = row % GROUP;
        long at = base + (long) (row / GROUP) * blocks * GROUP_BLOCK_BYTES;
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES) {
            float d = MEMORY.get(F32, at + 4L * r);
            long pairs = at + 32 + 2L * r; // the row's byte pair in each of the 8 chunks: block bytes 2c and 2c+1
            int o = off + b * BLOCK;
            for (int i = 0; i < 16; i++) {
                int q = MEMORY.get(ValueLayout.JAVA_BYTE, pairs + 16L * (i >> 1) + (i & 1)) & 0xFF;
                dst[o + i] = ((q & 15) - 8) * d;
                dst[o + 16 + i] = ((q >>> 4) - 8) * d;
            }
        }
    }

    /** Row r's scale into lanes 2r and 2r+1, the lanes of its two bytes in a chunk. */
    private static final VectorShuffle<Float> PAIRED = VectorShuffle.fromValues(IntKernels.F16, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);

    /** Whether {@link #dequantizeGroup} can run: it builds 512-bit float vectors, which only AVX-512 has in hardware. */
    static boolean decodesGroups() {
        return Vectors.L == 16;
    }

    /**
     * Rows 8g..8g+7, the same values as {@link #dequantizeRow}, laid out for {@link PrefillGemm}'s 8-row tile: for each
     * even column k, 16 floats from {@code dst[8k]}: row 0's values at k and k+1, then row 1's, ... row 7's. That is
     * the repacked layout's own order — a chunk's 16 bytes are those values' nibbles — so each chunk decodes with two
     * conversions and no gathering (decoding rows one by one gathers 8 byte pairs per block and row: ~20% of a q4_0
     * prompt on an AVX-512 host).
     */
    void dequantizeGroup(int g, float[] dst) {
        long at = base + (long) g * blocks * GROUP_BLOCK_BYTES;
        for (int b = 0; b < blocks; b++, at += GROUP_BLOCK_BYTES) {
            FloatVector d = FloatVector.fromMemorySegment(F8, MEMORY, at, ByteOrder.LITTLE_ENDIAN).reinterpretShape(IntKernels.F16, 0)
                    .reinterpretAsFloats().rearrange(PAIRED);
            int o = b * BLOCK * GROUP;
            for (int c = 0; c < 8; c++) {
                ByteVector q = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, MEMORY, at + 32 + 16L * c, ByteOrder.LITTLE_ENDIAN);
                ByteVector low = q.and((byte) 15).sub((byte) 8), high = q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8);
                // one rounding of d·(n − 8) each, as dequantizeRow
                ((FloatVector) low.convertShape(VectorOperators.B2F, IntKernels.F16, 0)).mul(d).intoArray(dst, o + 16 * c);
                ((FloatVector) high.convertShape(VectorOperators.B2F, IntKernels.F16, 0)).mul(d).intoArray(dst, o + 16 * (c + 8));
            }
        }
    }

    private static long pair(long address) {
        return MEMORY.get(U16, address) & 0xFFFFL;
    }
}
