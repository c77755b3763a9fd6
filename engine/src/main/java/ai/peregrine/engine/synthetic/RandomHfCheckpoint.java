package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.hf.SafetensorsDtype;
import ai.peregrine.engine.hf.SafetensorsWriter;
import ai.peregrine.engine.model.Architecture;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes random-weight Hugging Face checkpoints: {@code config.json}, safetensors (one file, or shards with
 * {@code model.safetensors.index.json}) laid out as transformers saves Falcon ({@code FalconForCausalLM}, or the
 * original {@code RWForCausalLM} spelling) and Llama/Mistral models — fused Falcon QKV interleaved per key/value
 * group, Llama Q/K in rotate-half order — and a tokenizer.json of the family's shape. The shape and value
 * distribution come from a {@link RandomModelSpec}; Falcon specs with {@code parallelNorms} are Falcon-40B style (new
 * decoder architecture: {@code ln_attn}, {@code ln_mlp}, grouped KV), the others Falcon-7B style (one LayerNorm,
 * multi-query). Deterministic: same spec, same bytes.
 */
public final class RandomHfCheckpoint {
    /**
     * @param hfArchitecture {@code FalconForCausalLM}, {@code RWForCausalLM}, {@code LlamaForCausalLM} or {@code MistralForCausalLM}
     * @param shards         1: {@code model.safetensors}; more: that many shards and an index
     */
    public record Spec(RandomModelSpec model, String hfArchitecture, SafetensorsDtype dtype, int shards) {
        public Spec {
            boolean falcon = hfArchitecture.equals("FalconForCausalLM") || hfArchitecture.equals("RWForCausalLM");
            if (falcon != (model.architecture() == Architecture.FALCON)) throw new IllegalArgumentException(hfArchitecture + " for a " + model.architecture() + " spec");
            if (falcon && !model.parallelNorms() && model.headCountKv() != 1 && model.headCountKv() != model.headCount()) {
                throw new IllegalArgumentException("a Falcon-7B style config is multi-query (1 KV head) or multi-head");
            }
            if (dtype.ggmlType() == null) throw new IllegalArgumentException("weights are F32, F16 or BF16, not " + dtype);
            if (shards < 1) throw new IllegalArgumentException("shards must be at least 1");
        }
    }

    /** One checkpoint tensor: PyTorch shape (outermost first) and its values as stored (rounded to the dtype). */
    public record Tensor(String name, long[] shape, float[] values) {}

    private RandomHfCheckpoint() {}

    /**
     * Writes config.json, the weights and the family's tokenizer files ({@link SyntheticHfTokenizer}: Falcon's for Falcon,
     * Llama 2's or Mistral's SentencePiece-style BPE for those) into {@code dir} (created if needed).
     */
    public static void write(Spec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config(spec)));
        SyntheticHfTokenizer.write(dir, tokenizerFlavour(spec.hfArchitecture()), spec.model().vocabSize());
        List<SafetensorsWriter.Tensor> all = new ArrayList<>();
        for (Tensor t : tensors(spec)) all.add(new SafetensorsWriter.Tensor(t.name(), spec.dtype(), t.shape(), encode(spec.dtype(), t.values())));
        if (spec.shards() == 1) {
            SafetensorsWriter.write(dir.resolve("model.safetensors"), all);
            return;
        }
        long totalBytes = all.stream().mapToLong(t -> t.data().length).sum();
        Map<String, String> weightMap = new LinkedHashMap<>();
        long written = 0;
        int from = 0;
        for (int s = 1; s <= spec.shards(); s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s, spec.shards());
            int to = from;
            long target = totalBytes * s / spec.shards();
            while (to < all.size() && (s == spec.shards() || written + all.get(to).data().length <= target || to == from)) {
                written += all.get(to).data().length;
                to++;
            }
            List<SafetensorsWriter.Tensor> shard = all.subList(from, to);
            SafetensorsWriter.write(dir.resolve(name), shard);
            shard.forEach(t -> weightMap.put(t.name(), name));
            from = to;
        }
        SafetensorsWriter.writeIndex(dir, weightMap, totalBytes);
    }

    static SyntheticHfTokenizer.Flavour tokenizerFlavour(String hfArchitecture) {
        return switch (hfArchitecture) {
            case "FalconForCausalLM", "RWForCausalLM" -> SyntheticHfTokenizer.Flavour.FALCON;
            case "MistralForCausalLM" -> SyntheticHfTokenizer.Flavour.MISTRAL;
            default -> SyntheticHfTokenizer.Flavour.LLAMA2;
        };
    }

    /** The config.json transformers would save for this model. */
    public static ObjectNode config(Spec spec) {
        RandomModelSpec m = spec.model();
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add(spec.hfArchitecture());
        String dtype = switch (spec.dtype()) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        };
        switch (spec.hfArchitecture()) {
            case "FalconForCausalLM" -> {
                c.put("model_type", "falcon");
                c.put("hidden_size", m.embeddingLength());
                c.put("num_attention_heads", m.headCount());
                c.put("num_hidden_layers", m.layerCount());
                if (m.parallelNorms()) c.put("num_kv_heads", m.headCountKv());
                c.put("new_decoder_architecture", m.parallelNorms());
                c.put("multi_query", m.headCountKv() == 1 || m.parallelNorms());
                c.put("parallel_attn", true);
                c.put("bias", false);
                c.put("alibi", false);
                c.put("layer_norm_epsilon", m.normEps());
                c.put("rope_theta", m.ropeTheta());
                c.put("max_position_embeddings", m.contextLength());
                c.put("tie_word_embeddings", !m.outputWeight());
                c.put("vocab_size", m.vocabSize());
            }
            case "RWForCausalLM" -> {
                c.put("model_type", m.parallelNorms() ? "RefinedWeb" : "RefinedWebModel");
                c.put("hidden_size", m.embeddingLength());
                c.put("n_head", m.headCount());
                if (m.parallelNorms()) c.put("n_head_kv", m.headCountKv());
                c.put("n_layer", m.layerCount());
                c.put("multi_query", m.headCountKv() == 1 || m.parallelNorms());
                c.put("parallel_attn", true);
                c.put("bias", false);
                c.put("alibi", false);
                c.put("layer_norm_epsilon", m.normEps());
                c.put("vocab_size", m.vocabSize());
            }
            default -> {
                c.put("model_type", spec.hfArchitecture().equals("MistralForCausalLM") ? "mistral" : "llama");
                c.put("hidden_size", m.embeddingLength());
                c.put("intermediate_size", m.feedForwardLength());
                c.put("num_hidden_layers", m.layerCount());
                c.put("num_attention_heads", m.headCount());
                c.put("num_key_value_heads", m.headCountKv());
                c.put("hidden_act", "silu");
                c.put("rms_norm_eps", m.normEps());
                c.put("rope_theta", m.ropeTheta());
                c.putNull("rope_scaling");
                c.put("max_position_embeddings", m.contextLength());
                c.put("tie_word_embeddings", !m.outputWeight());
                c.put("vocab_size", m.vocabSize());
            }
        }
        c.put("torch_dtype", dtype);
        return c;
    }

    /** The checkpoint's tensors in PyTorch layout, values already rounded to the spec's dtype. */
    public static List<Tensor> tensors(Spec spec) {
        RandomModelSpec s = spec.model();
        long e = s.embeddingLength(), v = s.vocabSize(), ff = s.feedForwardLength(), hd = s.headDim();
        long q = s.headCount() * hd, kv = s.headCountKv() * hd;
        double in = s.initGain() / Math.sqrt(e), down = s.initGain() / Math.sqrt(ff), outProj = s.initGain() / Math.sqrt(q);
        List<Tensor> t = new ArrayList<>();
        if (s.architecture() == Architecture.FALCON) {
            t.add(random(spec, "transformer.word_embeddings.weight", 0, s.embeddingStd(), v, e));
            for (int l = 0; l < s.layerCount(); l++) {
                String p = "transformer.h." + l + ".";
                for (String norm : s.parallelNorms() ? new String[] {"ln_attn", "ln_mlp"} : new String[] {"input_layernorm"}) {
                    t.add(random(spec, p + norm + ".weight", 1, s.normNoise(), e));
                    t.add(random(spec, p + norm + ".bias", 0, s.normNoise(), e));
                }
                t.add(random(spec, p + "self_attention.query_key_value.weight", 0, in, q + 2 * kv, e));
                t.add(random(spec, p + "self_attention.dense.weight", 0, outProj, e, q));
                t.add(random(spec, p + "mlp.dense_h_to_4h.weight", 0, in, ff, e));
                t.add(random(spec, p + "mlp.dense_4h_to_h.weight", 0, down, e, ff));
            }
            t.add(random(spec, "transformer.ln_f.weight", 1, s.normNoise(), e));
            t.add(random(spec, "transformer.ln_f.bias", 0, s.normNoise(), e));
        } else {
            t.add(random(spec, "model.embed_tokens.weight", 0, s.embeddingStd(), v, e));
            for (int l = 0; l < s.layerCount(); l++) {
                String p = "model.layers." + l + ".";
                t.add(random(spec, p + "input_layernorm.weight", 1, s.normNoise(), e));
                t.add(random(spec, p + "self_attn.q_proj.weight", 0, in, q, e));
                t.add(random(spec, p + "self_attn.k_proj.weight", 0, in, kv, e));
                t.add(random(spec, p + "self_attn.v_proj.weight", 0, in, kv, e));
                t.add(random(spec, p + "self_attn.o_proj.weight", 0, outProj, e, q));
                t.add(random(spec, p + "post_attention_layernorm.weight", 1, s.normNoise(), e));
                t.add(random(spec, p + "mlp.gate_proj.weight", 0, in, ff, e));
                t.add(random(spec, p + "mlp.up_proj.weight", 0, in, ff, e));
                t.add(random(spec, p + "mlp.down_proj.weight", 0, down, e, ff));
            }
            t.add(random(spec, "model.norm.weight", 1, s.normNoise(), e));
        }
        if (s.outputWeight()) t.add(random(spec, "lm_head.weight", 0, in * s.outputGain(), v, e));
        return t;
    }

    private static Tensor random(Spec spec, String name, double mean, double std, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] values = new float[Math.toIntExact(n)];
        TensorRandom rnd = new TensorRandom(spec.model().seed(), name);
        for (int i = 0; i < values.length; i++) values[i] = round(spec.dtype(), (float) (mean + std * rnd.nextGaussian()));
        return new Tensor(name, shape, values);
    }

    private static float round(SafetensorsDtype dtype, float x) {
        return switch (dtype) {
            case BF16 -> Float.intBitsToFloat((GgmlEncoding.toBf16(x) & 0xFFFF) << 16);
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
            default -> x;
        };
    }

    private static byte[] encode(SafetensorsDtype dtype, float[] values) {
        GgmlType type = dtype.ggmlType();
        byte[] out = new byte[values.length * dtype.bytes];
        GgmlEncoding.encode(type, values, 0, values.length, out, 0);
        return out;
    }
}
