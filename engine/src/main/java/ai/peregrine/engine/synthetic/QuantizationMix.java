package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.FileType;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.model.Architecture;
import java.util.List;
import java.util.Locale;

/**
 * Which ggml type each weight matrix of a model gets: one type for all ({@link #pure}, like
 * {@code llama-quantize --pure}), or llama.cpp's Q4_K_M / Q5_K_M mixes, which follow {@code llama-quant.cpp}'s
 * rules for the architectures Peregrine runs (llama, falcon; no experts):
 * <ul>
 *   <li>{@code output.weight} (or {@code token_embd.weight} when the embeddings are tied): q6_K, but q8_0 for falcon
 *       or when its columns are not a multiple of 256;</li>
 *   <li>{@code attn_v} / {@code attn_qkv}: q6_K in the layers where llama.cpp's {@code use_more_bits} holds (the first
 *       and last eighth of the layers, and every third in between), else the base type;</li>
 *   <li>{@code ffn_down}: Q4_K_M: llama q6_K where {@code use_more_bits}; falcon q6_K in the first sixteenth of the
 *       layers, q5_K where {@code use_more_bits}, else q4_K. Q5_K_M: q6_K where {@code use_more_bits};</li>
 *   <li>everything else the base type (q4_K / q5_K). A K-quant on columns that are not a multiple of 256 falls back
 *       as llama.cpp's does (q4_K → q5_0, q5_K → q5_1, q6_K → q8_0, and F16 if even those do not divide); Peregrine
 *       has no q5_0 / q5_1 kernels yet, so {@link #typeOf} refuses such a tensor with a message saying so.</li>
 * </ul>
 * llama.cpp's extra bump of 70B models' attn_v (it knows the model size; a file does not say it) is not reproduced.
 * One-dimensional tensors (norms, biases) are always F32.
 */
public record QuantizationMix(String name, GgmlType baseType, Rule rule) {
    /** How the per-tensor type is chosen. */
    public enum Rule { PURE, Q4_K_M, Q5_K_M }

    public static final QuantizationMix Q4_K_M = new QuantizationMix("q4_k_m", GgmlType.Q4_K, Rule.Q4_K_M);
    public static final QuantizationMix Q5_K_M = new QuantizationMix("q5_k_m", GgmlType.Q5_K, Rule.Q5_K_M);

    private static final List<GgmlType> PURE_TYPES =
            List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    public QuantizationMix {
        if (rule == Rule.PURE && !PURE_TYPES.contains(baseType)) throw new IllegalArgumentException("Peregrine does not write " + baseType + " weights");
    }

    /** Every weight matrix in {@code type}. */
    public static QuantizationMix pure(GgmlType type) {
        return new QuantizationMix(type.name().toLowerCase(Locale.ROOT), type, Rule.PURE);
    }

    /** The names {@link #parse} accepts. */
    public static List<String> names() {
        List<String> names = new java.util.ArrayList<>(PURE_TYPES.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
        names.add(Q4_K_M.name);
        names.add(Q5_K_M.name);
        return names;
    }

    /** f32, f16, bf16, q8_0, q4_0, q4_k, q5_k, q6_k (pure), q4_k_m or q5_k_m; case-insensitive. */
    public static QuantizationMix parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals(Q4_K_M.name)) return Q4_K_M;
        if (n.equals(Q5_K_M.name)) return Q5_K_M;
        for (GgmlType t : PURE_TYPES) {
            if (t.name().toLowerCase(Locale.ROOT).equals(n)) return pure(t);
        }
        throw new IllegalArgumentException("unknown quantization type '" + name + "' (supported: " + String.join(", ", names()) + ")");
    }

    /** {@code general.file_type} (llama.cpp's {@code llama_ftype}); a pure K-quant is labelled as llama.cpp's _S mix of that type. */
    public long fileType() {
        return switch (rule) {
            case Q4_K_M -> 15;
            case Q5_K_M -> 17;
            case PURE -> switch (baseType) {
                case Q4_K -> 14;
                case Q5_K -> 16;
                case Q6_K -> 18;
                default -> FileType.of(baseType);
            };
        };
    }

    /**
     * The type of tensor {@code name} (llama.cpp's GGUF tensor names), of {@code shape} in ggml order (columns first),
     * in a model of {@code layerCount} layers; {@code tiedEmbeddings}: the model has no {@code output.weight}.
     */
    public GgmlType typeOf(String name, long[] shape, Architecture architecture, int layerCount, boolean tiedEmbeddings) {
        if (shape.length < 2) return GgmlType.F32;
        if (rule == Rule.PURE) return baseType;
        long cols = shape[0];
        GgmlType type = baseType;
        int layer = layerOf(name);
        boolean falcon = architecture == Architecture.FALCON;
        if (name.equals("output.weight") || (tiedEmbeddings && name.equals("token_embd.weight"))) {
            type = falcon || cols % GgmlType.Q6_K.blockSize != 0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
        } else if (name.endsWith("attn_v.weight") || name.endsWith("attn_qkv.weight")) {
            // llama.cpp's Q5_K-for-attn_qkv rule sits behind this one and never applies
            if (useMoreBits(layer, layerCount)) type = GgmlType.Q6_K;
        } else if (name.endsWith("ffn_down.weight")) {
            if (rule == Rule.Q4_K_M && falcon) {
                type = layer < layerCount / 16 ? GgmlType.Q6_K : useMoreBits(layer, layerCount) ? GgmlType.Q5_K : GgmlType.Q4_K;
            } else if (useMoreBits(layer, layerCount)) {
                type = GgmlType.Q6_K;
            }
        }
        GgmlType chosen = fallback(type, cols);
        if (!chosen.supported) {
            throw new IllegalArgumentException(name + " has " + cols + " columns, not a multiple of " + type.blockSize + ": llama.cpp's "
                    + this.name + " stores it as " + chosen + " there, which Peregrine does not support yet");
        }
        return chosen;
    }

    /** llama.cpp's {@code use_more_bits}: the first and last eighth of the layers, and every third layer in between. */
    static boolean useMoreBits(int layer, int layerCount) {
        return layer < layerCount / 8 || layer >= 7 * layerCount / 8 || (layer - layerCount / 8) % 3 == 2;
    }

    /** llama.cpp's {@code tensor_type_fallback}: a type whose blocks do not divide the columns is replaced. */
    private static GgmlType fallback(GgmlType type, long cols) {
        if (cols % type.blockSize == 0) return type;
        GgmlType smaller = switch (type) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> type;
        };
        return cols % smaller.blockSize == 0 ? smaller : GgmlType.F16;
    }

    private static int layerOf(String name) {
        if (!name.startsWith("blk.")) return -1;
        int end = name.indexOf('.', 4);
        return Integer.parseInt(name.substring(4, end));
    }
}
