package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufTensorInfo;

/** Wraps a mapped GGUF tensor in the matrix class for its type. */
public final class WeightMatrices {
    private WeightMatrices() {}

    public static WeightMatrix of(GgufFile file, String name) {
        GgufTensorInfo t = file.tensor(name);
        if (t.shape().length > 2 || (t.shape().length == 2 && t.shape()[1] > Integer.MAX_VALUE)) {
            throw new GgufFormatException(file.source() + ": tensor " + t + " is not a matrix");
        }
        int cols = Math.toIntExact(t.shape()[0]);
        int rows = t.shape().length == 2 ? Math.toIntExact(t.shape()[1]) : 1;
        var seg = file.tensorData(t);
        return switch (t.type()) {
            case F32 -> new F32Matrix(seg, rows, cols);
            case F16 -> new F16Matrix(seg, rows, cols);
            case BF16 -> new BF16Matrix(seg, rows, cols);
            case Q8_0 -> new Q8_0Matrix(seg, rows, cols);
            case Q4_0 -> new Q4_0Matrix(seg, rows, cols);
            default -> throw new GgufFormatException(file.source() + ": tensor " + name + " has type " + t.type()
                    + ", which Peregrine does not support yet (supported: F32, F16, BF16, Q8_0, Q4_0)");
        };
    }
}
