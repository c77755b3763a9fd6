package ai.peregrine.engine.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The vector shapes the kernels use, chosen once from the machine's preferred width. */
final class Vectors {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Block kernels need at least 8 float lanes (a 64-bit byte vector per part); narrower machines use scalar code. */
    static final boolean BLOCK_KERNELS = (L == 8 || L == 16) && !Boolean.getBoolean("peregrine.scalar");
    /** Bytes that widen to one float vector. */
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_MAX.length() >= L && L >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : ByteVector.SPECIES_64;
    /** Shorts that widen to one float vector. */
    static final VectorSpecies<Short> S = L >= 4
            ? VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16))) : ShortVector.SPECIES_64;

    private Vectors() {}

    /**
     * The sum of the lanes of a vector of {@link #F}, in one fixed order (halves, then quarters, ...).
     * {@code reduceLanes(ADD)} leaves the order to the implementation and the interpreter's differs from C2's, so a
     * kernel would round differently before and after it is compiled — and a batched decode step would stop matching
     * the same sequence decoded alone.
     */
    static float sum(FloatVector v) {
        return L == 16 ? sum16(v) : sum8(v);
    }

    /**
     * {@link #sum} of a 512-bit vector: its halves added, then {@link #sum8}'s additions. Written out rather than
     * handing the halves' sum to {@link #sum8}: that helper also takes 256-bit vectors, and a call site that sees two
     * vector classes is compiled without the intrinsics — every call then allocates its vectors (seen on AVX-512 hosts,
     * ~770 KB per decoded token, when a test order compiled sum8 with both classes in its profile).
     */
    private static float sum16(FloatVector v) {
        FloatVector h = v.add(v.slice(8));
        h = h.add(h.slice(4));
        h = h.add(h.slice(2));
        return h.lane(0) + h.lane(1);
    }

    /**
     * {@link #sum} of a vector stored at {@code a[off, off + L)}, with the same additions in the same order: for
     * callers that would otherwise pass vectors to a helper C2 may not inline (a boxed vector per call).
     */
    static float sum(float[] a, int off) {
        if (L == 16) {
            float b0 = a[off] + a[off + 8], b1 = a[off + 1] + a[off + 9], b2 = a[off + 2] + a[off + 10], b3 = a[off + 3] + a[off + 11];
            float b4 = a[off + 4] + a[off + 12], b5 = a[off + 5] + a[off + 13], b6 = a[off + 6] + a[off + 14], b7 = a[off + 7] + a[off + 15];
            return ((b0 + b4) + (b2 + b6)) + ((b1 + b5) + (b3 + b7));
        }
        return ((a[off] + a[off + 4]) + (a[off + 2] + a[off + 6])) + ((a[off + 1] + a[off + 5]) + (a[off + 3] + a[off + 7]));
    }

    /** {@link #sum8} of a 256-bit vector stored at {@code a[off, off + 8)}, same additions in the same order. */
    static float sum8(float[] a, int off) {
        return ((a[off] + a[off + 4]) + (a[off + 2] + a[off + 6])) + ((a[off + 1] + a[off + 5]) + (a[off + 3] + a[off + 7]));
    }

    /** {@link #sum} of the first 8 lanes (all of a 256-bit vector). */
    static float sum8(FloatVector v) {
        FloatVector h = v.add(v.slice(4));
        h = h.add(h.slice(2));
        return h.lane(0) + h.lane(1);
    }
}
