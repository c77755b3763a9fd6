package ai.peregrine.engine.hf;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a safetensors file. {@code shape} is row-major as PyTorch writes it (outermost first: a linear layer's
 * weight is [out, in]); {@code data} is a slice of the file's mapping.
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, MemorySegment data, String file) {
    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
