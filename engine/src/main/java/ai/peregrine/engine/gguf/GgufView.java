package ai.peregrine.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.function.Function;

/**
 * What the model loader reads: GGUF metadata and named tensors in ggml layout (llama.cpp's names, ggml shape order).
 * A {@link GgufFile} is one; a Hugging Face checkpoint opened through {@code hf.HfCheckpoint} is another, built over
 * its memory-mapped safetensors shards. Closing the view releases every segment it handed out.
 */
public interface GgufView extends AutoCloseable {
    /** Where the tensors come from (a path), for messages. */
    String source();

    GgufMetadata metadata();

    /** Tensor headers by name, in file order. */
    Map<String, GgufTensorInfo> tensors();

    default boolean hasTensor(String name) {
        return tensors().containsKey(name);
    }

    default GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors().get(name);
        if (t == null) throw new GgufFormatException(source() + ": tensor '" + name + "' is missing");
        return t;
    }

    /** The tensor's bytes in ggml block layout, valid until the view is closed. */
    MemorySegment tensorData(GgufTensorInfo t);

    /**
     * Hands the tensor's bytes to {@code use} and returns its result; the bytes are valid during the call only. A view
     * that must lay a tensor out anew (rather than slice a mapping) does it for this call without keeping the copy,
     * which is how a converter or quantizer reads a whole checkpoint without holding all of it.
     */
    default <T> T withTensorData(GgufTensorInfo t, Function<MemorySegment, T> use) {
        return use.apply(tensorData(t));
    }

    /**
     * Says the caller has copied tensor {@code t} (a repacked matrix) and will not read its bytes again: a view that
     * holds them in memory of its own may free them. Mapped files keep theirs (the caller releases mapped pages).
     */
    default void release(GgufTensorInfo t) {}

    @Override
    void close();
}
