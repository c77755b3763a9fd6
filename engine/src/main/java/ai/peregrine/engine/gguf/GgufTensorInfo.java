package ai.peregrine.engine.gguf;

import java.util.Arrays;

/**
 * One tensor's header entry. {@code shape} is in ggml order: shape[0] is the innermost (contiguous)
 * dimension, so a weight matrix with {@code rows} outputs and {@code cols} inputs has shape [cols, rows].
 * {@code offset} is relative to the start of the tensor data section.
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {
    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elements());
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
