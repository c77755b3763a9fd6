package ai.peregrine.engine.convert;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.model.Architecture;
import ai.peregrine.engine.synthetic.QuantizationMix;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code convert --type} and {@code --quantize} make of a model's tensors. Matrices in a float type (F32, F16,
 * BF16) become {@link #matrixType}; vectors (norm weights and biases) are always F32, as llama.cpp keeps them;
 * already-quantized matrices and those whose rows do not split into whole blocks keep their type. Q4_0 keeps the
 * output matrix (or the tied embeddings serving as output) in Q8_0: it is where 4 bits cost the most, which is why
 * llama.cpp's own Q4_0 files give it a larger type (Q6_K) too. Q4_K_M and Q5_K_M choose per tensor as llama.cpp's
 * {@code llama-quantize} does ({@link QuantizationMix}; the files are the same, tensor for tensor).
 */
public enum TargetType {
    F32(GgmlType.F32), F16(GgmlType.F16), BF16(GgmlType.BF16), Q8_0(GgmlType.Q8_0), Q4_0(GgmlType.Q4_0),
    Q4_K(GgmlType.Q4_K), Q5_K(GgmlType.Q5_K), Q6_K(GgmlType.Q6_K), Q4_K_M(GgmlType.Q4_K), Q5_K_M(GgmlType.Q5_K);

    /** The type of the matrices (for Q4_K_M / Q5_K_M: of most of them). */
    public final GgmlType matrixType;

    TargetType(GgmlType matrixType) {
        this.matrixType = matrixType;
    }

    /** {@code f16}, {@code q8_0}, ... (case-insensitive). */
    public static TargetType parse(String name) {
        for (TargetType t : values()) if (t.label().equalsIgnoreCase(name)) return t;
        throw new IllegalArgumentException("unknown type '" + name + "' (one of " + labels() + ")");
    }

    public static String labels() {
        return Arrays.stream(values()).map(TargetType::label).collect(Collectors.joining(", "));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean quantized() {
        return !isFloat(matrixType);
    }

    /** {@code general.file_type} of a file in this type. */
    public long fileType() {
        return mix().fileType();
    }

    /**
     * The type tensor {@code t} of {@code view} gets. Q4_K_M / Q5_K_M follow llama.cpp, which also stores a K-quant
     * matrix whose rows are not whole 256-value super-blocks in q5_0 / q5_1 / q8_0 instead; where that is a type
     * Peregrine cannot run, this throws {@link IllegalArgumentException} naming the tensor.
     */
    public GgmlType typeOf(GgufView view, GgufTensorInfo t) {
        if (t.shape().length == 1) return GgmlType.F32;
        if (!isFloat(t.type())) return t.type();
        GgmlType want;
        if (this == Q4_K_M || this == Q5_K_M) {
            Architecture arch = Architecture.fromGguf(view.metadata().getString("general.architecture"));
            int layers = view.metadata().getInt(arch.ggufName + ".block_count");
            want = mix().typeOf(t.name(), t.shape(), arch, layers, !view.hasTensor("output.weight"));
        } else {
            want = this == Q4_0 && isOutput(view, t.name()) ? GgmlType.Q8_0 : matrixType;
        }
        return t.shape()[0] % want.blockSize == 0 ? want : t.type();
    }

    private QuantizationMix mix() {
        return switch (this) {
            case Q4_K_M -> QuantizationMix.Q4_K_M;
            case Q5_K_M -> QuantizationMix.Q5_K_M;
            default -> QuantizationMix.pure(matrixType);
        };
    }

    static boolean isFloat(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16;
    }

    private static boolean isOutput(GgufView view, String name) {
        return name.equals("output.weight") || (name.equals("token_embd.weight") && !view.hasTensor("output.weight"));
    }
}
