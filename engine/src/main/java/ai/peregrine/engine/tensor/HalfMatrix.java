package ai.peregrine.engine.tensor;

import static ai.peregrine.engine.tensor.Vectors.F;
import static ai.peregrine.engine.tensor.Vectors.L;
import static ai.peregrine.engine.tensor.Vectors.S;

import ai.peregrine.engine.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** 16-bit float rows (F16 or BF16): widened to f32 lane by lane. */
abstract sealed class HalfMatrix extends WeightMatrix permits F16Matrix, BF16Matrix {
    static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final VectorSpecies<Integer> I = F.vectorShape().withLanes(int.class);
    static final boolean VECTOR = Vectors.BLOCK_KERNELS && S.length() == L;

    HalfMatrix(MemorySegment data, int rows, int cols, GgmlType type) {
        super(data, rows, cols, type);
    }

    /** The f32 bit patterns of L halves, given them zero-extended in int lanes. */
    abstract IntVector toFloatBits(IntVector halves);

    abstract float element(short bits);

    private FloatVector load(long offset) {
        ShortVector h = ShortVector.fromMemorySegment(S, data, offset, ByteOrder.LITTLE_ENDIAN);
        IntVector wide = ((IntVector) h.convertShape(VectorOperators.S2I, I, 0)).and(0xFFFF);
        return toFloatBits(wide).reinterpretAsFloats();
    }

    @Override
    public float dot(int row, float[] x, int xOff) {
        long base = row * rowBytes;
        int i = 0;
        float sum = 0;
        if (VECTOR) {
            FloatVector acc = FloatVector.zero(F);
            for (; i + L <= cols; i += L) acc = load(base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), acc);
            sum = Vectors.sum(acc);
        }
        for (; i < cols; i++) sum += element(data.get(LE, base + 2L * i)) * x[xOff + i];
        return sum;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes;
        int i = 0;
        if (VECTOR) for (; i + L <= cols; i += L) load(base + 2L * i).intoArray(dst, off + i);
        for (; i < cols; i++) dst[off + i] = element(data.get(LE, base + 2L * i));
    }

    /** {@link #dequantizeRow}'s values without vectors (see {@link WeightMatrix#lookupRow}). */
    @Override
    public void lookupRow(int row, float[] dst, int off) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[off + i] = element(data.get(LE, base + 2L * i));
    }
}
