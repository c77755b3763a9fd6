package ai.peregrine.engine.gguf;

/** llama.cpp's {@code general.file_type} ({@code llama_ftype}): the type most matrices of a file have. */
public final class FileType {
    /** {@code LLAMA_FTYPE_GUESSED}: llama.cpp then works the type out from the tensors. */
    public static final long GUESSED = 1024;

    private FileType() {}

    public static long of(GgmlType mostMatrices) {
        return switch (mostMatrices) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case BF16 -> 32;
            default -> GUESSED;
        };
    }
}
