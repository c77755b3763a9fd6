package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufView;
import java.lang.foreign.MemorySegment;

/** Wraps a mapped GGUF tensor in the matrix class for its type. */
public final class WeightMatrices {
    private WeightMatrices() {}

    public static WeightMatrix of(GgufView file, String name) {
        GgufTensorInfo t = file.tensor(name);
        return of(t, file.tensorData(t), file.source());
    }

    /** A matrix over {@code data}, the bytes of tensor {@code t} (a vector is one row); {@code source} names the file in errors. */
    public static WeightMatrix of(GgufTensorInfo t, MemorySegment data, String source) {
        if (t.shape().length > 2 || (t.shape().length == 2 && t.shape()[1] > Integer.MAX_VALUE)) {
            throw new GgufFormatException(source + ": tensor " + t + " is not a matrix");
        }
        int cols = Math.toIntExact(t.shape()[0]);
        int rows = t.shape().length == 2 ? Math.toIntExact(t.shape()[1]) : 1;
        return switch (t.type()) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_K -> new Q4_KMatrix(data, rows, cols);
            case Q5_K -> new Q5_KMatrix(data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            case Q5_0, Q5_1 -> new Q5Matrix(data, rows, cols, t.type());
            default -> throw new GgufFormatException(source + ": tensor " + t.name() + " has type " + t.type()
                    + ", which Peregrine does not support yet (supported: F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)");
        };
    }
}
