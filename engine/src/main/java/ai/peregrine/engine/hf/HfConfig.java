package ai.peregrine.engine.hf;

import ai.peregrine.engine.model.Architecture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's {@code config.json}, reduced to what the engine runs, with everything else it would compute wrongly
 * rejected by name. Falcon accepts both spellings: {@code FalconForCausalLM} ({@code num_attention_heads},
 * {@code num_kv_heads}, {@code new_decoder_architecture}) and the original {@code RWForCausalLM} ({@code n_head},
 * {@code n_head_kv}, {@code n_layer}; model type {@code RefinedWeb} is the 40B block, {@code RefinedWebModel} the 7B
 * one). Llama and Mistral map onto the engine's llama block.
 *
 * @param hfArchitecture  the {@code architectures[0]} class name (or the model type when the list is missing)
 * @param headCountKv     key/value heads: the number of groups in Falcon's fused {@code query_key_value}
 * @param parallelNorms   Falcon-40B's two LayerNorms per block ({@code ln_attn} feeding attention, {@code ln_mlp} the MLP)
 * @param tiedEmbeddings  the output layer reuses the token embeddings when the checkpoint has no {@code lm_head.weight}
 */
public record HfConfig(
        String hfArchitecture,
        Architecture architecture,
        int embeddingLength,
        int layerCount,
        int headCount,
        int headCountKv,
        int headDim,
        int feedForwardLength,
        int vocabSize,
        int contextLength,
        float normEps,
        float ropeTheta,
        boolean parallelNorms,
        boolean tiedEmbeddings) {

    public static final String FILE = "config.json";
    static final List<String> SUPPORTED = List.of("FalconForCausalLM", "RWForCausalLM", "LlamaForCausalLM", "MistralForCausalLM");

    public static HfConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "config.json not found: a Hugging Face model directory needs one");
        } catch (IOException e) {
            throw new CheckpointFormatException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new CheckpointFormatException(file + " is not a JSON object");
        return parse(new Fields(file.toString(), root));
    }

    static HfConfig parse(Fields c) {
        String arch = c.architecture();
        return switch (arch) {
            case "FalconForCausalLM", "RWForCausalLM", "falcon", "RefinedWeb", "RefinedWebModel" -> falcon(c, arch);
            case "LlamaForCausalLM", "MistralForCausalLM", "llama", "mistral" -> llama(c, arch);
            case "Qwen2ForCausalLM", "qwen2" -> throw c.unsupported("Qwen2ForCausalLM is not supported yet: its attention has q/k/v biases,"
                    + " which Peregrine's forward pass does not implement (supported: " + String.join(", ", SUPPORTED) + ")");
            default -> throw c.unsupported("architecture " + arch + " is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
        };
    }

    private static HfConfig falcon(Fields c, String arch) {
        c.reject("alibi", true, "ALiBi position biases (alibi: true, the Falcon-RW models) are not supported; Peregrine runs rotary Falcons");
        c.reject("bias", true, "linear-layer biases (bias: true) are not supported; Falcon-7B/40B/180B have none");
        c.reject("apply_residual_connection_post_layernorm", true, "apply_residual_connection_post_layernorm: true is not supported");
        c.rejectPresent("rope_scaling", "rope_scaling is not supported");
        String act = c.string("activation", "gelu");
        if (!act.equals("gelu")) throw c.unsupported("activation " + act + " is not supported (Falcon's is gelu)");
        boolean newDecoder = c.bool("new_decoder_architecture", c.string("model_type", "").equals("RefinedWeb"));
        boolean parallelAttn = c.bool("parallel_attn", true);
        if (!parallelAttn) {
            throw c.unsupported("parallel_attn: false (attention, then the MLP on its output) is not supported;"
                    + " Peregrine's Falcon block runs attention and the MLP in parallel, as Falcon-7B/40B/180B do");
        }
        int hidden = c.requiredInt("hidden_size", "n_embed");
        int heads = c.requiredInt("num_attention_heads", "n_head");
        int kvHeads;
        if (newDecoder) kvHeads = c.requiredInt("num_kv_heads", "n_head_kv");
        else if (c.bool("multi_query", true)) kvHeads = 1;
        else kvHeads = heads;
        int norms = c.integer("num_ln_in_parallel_attn", newDecoder ? 2 : 1);
        if (newDecoder && norms != 1 && norms != 2) throw c.unsupported("num_ln_in_parallel_attn " + norms + " is not supported (1 or 2)");
        if (hidden % heads != 0) throw c.unsupported("hidden_size " + hidden + " is not a multiple of the " + heads + " heads");
        if (heads % kvHeads != 0) throw c.unsupported(heads + " attention heads do not split into " + kvHeads + " key/value groups");
        return new HfConfig(arch, Architecture.FALCON, hidden,
                c.requiredInt("num_hidden_layers", "n_layer"), heads, kvHeads, hidden / heads,
                c.integer("ffn_hidden_size", 4 * hidden),
                c.requiredInt("vocab_size"),
                c.integer("max_position_embeddings", 2048),
                c.floating("layer_norm_epsilon", 1e-5f),
                c.floating("rope_theta", 10000f),
                newDecoder && norms == 2,
                c.bool("tie_word_embeddings", true));
    }

    private static HfConfig llama(Fields c, String arch) {
        c.reject("attention_bias", true, "attention biases (attention_bias: true) are not supported");
        c.reject("mlp_bias", true, "MLP biases (mlp_bias: true) are not supported");
        c.rejectPresent("rope_scaling", "rope_scaling (Llama-3.1 style or linear/dynamic scaling) is not supported");
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu")) throw c.unsupported("hidden_act " + act + " is not supported (llama's is silu)");
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        int kvHeads = c.integer("num_key_value_heads", heads);
        if (heads % kvHeads != 0) throw c.unsupported(heads + " attention heads do not split into " + kvHeads + " key/value heads");
        int headDim = c.integer("head_dim", hidden / heads);
        if (headDim % 2 != 0) throw c.unsupported("head_dim " + headDim + " is odd; rotary embeddings need pairs");
        int context = c.integer("max_position_embeddings", 2048);
        // Mistral's sliding window only differs from full attention beyond the window: stay within it
        int window = c.integer("sliding_window", 0);
        if (window > 0 && window < context) context = window;
        return new HfConfig(arch, Architecture.LLAMA, hidden,
                c.requiredInt("num_hidden_layers"), heads, kvHeads, headDim,
                c.requiredInt("intermediate_size"),
                c.requiredInt("vocab_size"),
                context,
                c.floating("rms_norm_eps", 1e-6f),
                c.floating("rope_theta", 10000f),
                false,
                c.bool("tie_word_embeddings", false));
    }

    /** Typed reads of config.json that name the file and key on a bad value. */
    record Fields(String file, JsonNode root) {
        String architecture() {
            JsonNode archs = root.path("architectures");
            if (archs.isArray() && !archs.isEmpty()) return archs.get(0).asText();
            String type = string("model_type", "");
            if (type.isEmpty()) throw new CheckpointFormatException(file + " names no architectures and no model_type");
            return type;
        }

        private JsonNode get(String key) {
            JsonNode v = root.get(key);
            return v == null || v.isNull() ? null : v;
        }

        int requiredInt(String... keys) {
            for (String k : keys) if (get(k) != null) return integer(k, 0);
            throw new CheckpointFormatException(file + " has no " + String.join(" or ", keys));
        }

        int integer(String key, int fallback) {
            JsonNode v = get(key);
            if (v == null) return fallback;
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new CheckpointFormatException(file + ": " + key + " is " + v + ", not an integer");
            }
            int n = v.asInt();
            if (n < 0) throw new CheckpointFormatException(file + ": " + key + " is negative (" + n + ")");
            return n;
        }

        float floating(String key, float fallback) {
            JsonNode v = get(key);
            if (v == null) return fallback;
            if (!v.isNumber()) throw new CheckpointFormatException(file + ": " + key + " is " + v + ", not a number");
            return (float) v.asDouble();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode v = get(key);
            if (v == null) return fallback;
            if (!v.isBoolean()) throw new CheckpointFormatException(file + ": " + key + " is " + v + ", not true or false");
            return v.asBoolean();
        }

        String string(String key, String fallback) {
            JsonNode v = get(key);
            return v == null ? fallback : v.asText();
        }

        void reject(String key, boolean value, String message) {
            if (get(key) != null && bool(key, !value) == value) throw unsupported(message);
        }

        void rejectPresent(String key, String message) {
            JsonNode v = get(key);
            if (v != null) throw unsupported(message + " (" + key + ": " + v + ")");
        }

        CheckpointFormatException unsupported(String message) {
            return new CheckpointFormatException(file + ": " + message);
        }
    }
}
