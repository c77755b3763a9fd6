package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/** IEEE half-precision rows. */
public final class F16Matrix extends HalfMatrix {
    public F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols, GgmlType.F16);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    /**
     * Shifting the half's exponent and mantissa into f32 position and multiplying by 2^112 rebiases the
     * exponent and handles subnormals in one step; infinities and NaNs are not expected in weights.
     */
    @Override
    IntVector toFloatBits(IntVector h) {
        IntVector sign = h.and(0x8000).lanewise(jdk.incubator.vector.VectorOperators.LSHL, 16);
        FloatVector magnitude = h.and(0x7FFF).lanewise(jdk.incubator.vector.VectorOperators.LSHL, 13).reinterpretAsFloats()
                .mul(0x1p112f);
        return magnitude.reinterpretAsInts().or(sign);
    }

    @Override
    float element(short bits) {
        return Float.float16ToFloat(bits);
    }
}
