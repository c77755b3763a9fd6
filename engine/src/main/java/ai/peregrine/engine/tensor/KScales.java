package ai.peregrine.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The 12 bytes of 6-bit sub-block scales and minimums of q4_K and q5_K (ggml's {@code get_scale_min_k4}): for
 * sub-blocks 0..3, bytes 0..3 hold the scales and bytes 4..7 the minimums in their low 6 bits; for sub-blocks 4..7,
 * bytes 8..11 hold the low 4 bits of scale (low nibble) and minimum (high nibble), and the top 2 bits of bytes
 * 0..3 / 4..7 hold their high 2 bits.
 */
final class KScales {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private KScales() {}

    /** Sub-block j's 6-bit scale. */
    static int scale(MemorySegment memory, long address, int j) {
        if (j < 4) return memory.get(ValueLayout.JAVA_BYTE, address + j) & 63;
        return (memory.get(ValueLayout.JAVA_BYTE, address + j + 4) & 0x0F) | ((memory.get(ValueLayout.JAVA_BYTE, address + j - 4) & 0xFF) >>> 6 << 4);
    }

    /** Sub-block j's 6-bit minimum. */
    static int min(MemorySegment memory, long address, int j) {
        if (j < 4) return memory.get(ValueLayout.JAVA_BYTE, address + j + 4) & 63;
        return (memory.get(ValueLayout.JAVA_BYTE, address + j + 4) & 0xFF) >>> 4 | ((memory.get(ValueLayout.JAVA_BYTE, address + j) & 0xFF) >>> 6 << 4);
    }

    /** Lanes 0..3 of the minimums' vector form come from bytes 4..7 alone, lanes 4..7 combine bytes 8..11 and 4..7. */
    private static final VectorMask<Byte> HIGH_HALF = VectorMask.fromLong(ByteVector.SPECIES_64, 0xF0);

    /** All eight minimums as int lanes, computed in byte lanes: lane j of bytes 4..11 and of bytes 0..7 hold what minimum j needs. */
    static IntVector minVector(MemorySegment memory, long address) {
        ByteVector a = ByteVector.fromMemorySegment(ByteVector.SPECIES_64, memory, address + 4, ByteOrder.LITTLE_ENDIAN);
        ByteVector b = ByteVector.fromMemorySegment(ByteVector.SPECIES_64, memory, address, ByteOrder.LITTLE_ENDIAN);
        ByteVector high = a.lanewise(VectorOperators.LSHR, 4).or(b.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4));
        return (IntVector) a.and((byte) 63).blend(high, HIGH_HALF).convertShape(VectorOperators.B2I, IntKernels.I8, 0);
    }

    /** All eight scales, sub-block j in byte j of the result. */
    static long scales(MemorySegment memory, long address) {
        int u0 = memory.get(I32, address), u2 = memory.get(I32, address + 8);
        int low = u0 & 0x3f3f3f3f;
        int high = (u2 & 0x0f0f0f0f) | ((u0 >>> 6) & 0x03030303) << 4;
        return (low & 0xFFFFFFFFL) | (long) high << 32;
    }
}
