package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** bfloat16 rows: the upper half of an f32. */
public final class BF16Matrix extends HalfMatrix {
    public BF16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.BF16);
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    IntVector toFloatBits(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 16);
    }

    @Override
    float element(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
