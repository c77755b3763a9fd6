package ai.peregrine.engine.hf;

import ai.peregrine.engine.convert.GgufConverter;
import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tiny random Hugging Face checkpoints the tests build, by name. */
public final class HfFixtures {
    static final Map<String, RandomHfCheckpoint.Spec> ALL = new LinkedHashMap<>();
    /** Those with llama.cpp goldens (golden/hf-reference). */
    public static final List<String> REFERENCE = List.of("hf-falcon7b", "hf-falcon40b", "hf-llama");

    static {
        // Falcon-7B style: multi-query (one K/V head after 4 query heads), one LayerNorm, parallel attention; 2 shards
        ALL.put("hf-falcon7b", new RandomHfCheckpoint.Spec(
                RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, GgmlType.BF16).withName("hf-falcon7b"),
                "FalconForCausalLM", SafetensorsDtype.BF16, 2));
        // Falcon-40B style in the original RWForCausalLM spelling: 2 groups of 4 query heads each followed by
        // their K and V, ln_attn + ln_mlp; 3 shards
        ALL.put("hf-falcon40b", new RandomHfCheckpoint.Spec(
                RandomModelSpec.falcon(128, 2, 8, 2, 512, 512, GgmlType.BF16).withParallelNorms(true).withName("hf-falcon40b"),
                "RWForCausalLM", SafetensorsDtype.BF16, 3));
        // Llama with grouped-query attention (4 query heads, 2 KV heads), rotate-half Q/K rows; 2 shards
        ALL.put("hf-llama", new RandomHfCheckpoint.Spec(
                RandomModelSpec.llama(128, 2, 4, 2, 352, 512, GgmlType.BF16).withName("hf-llama"),
                "LlamaForCausalLM", SafetensorsDtype.BF16, 2));
        // Mistral spelling, tied embeddings (no lm_head.weight), one model.safetensors in F16
        ALL.put("hf-mistral-tied", new RandomHfCheckpoint.Spec(
                RandomModelSpec.llama(128, 2, 4, 1, 352, 512, GgmlType.F16).withOutputWeight(false).withName("hf-mistral-tied"),
                "MistralForCausalLM", SafetensorsDtype.F16, 1));
    }

    private HfFixtures() {}

    public static RandomHfCheckpoint.Spec spec(String name) {
        RandomHfCheckpoint.Spec spec = ALL.get(name);
        if (spec == null) throw new IllegalArgumentException("no HF fixture " + name);
        return spec;
    }

    public static Path write(String name, Path parent) throws IOException {
        Path dir = parent.resolve(name);
        RandomHfCheckpoint.write(spec(name), dir);
        return dir;
    }

    /** Converts the checkpoint in {@code dir} to {@code <out>/<name>-<type>.gguf}. */
    public static Path convert(String name, Path dir, TargetType type, Path out) throws IOException {
        Path file = out.resolve(name + "-" + type.label() + ".gguf");
        try (HfCheckpoint c = HfModelDirectory.open(dir)) {
            GgufConverter.write(c, type, file, 2, ProgressListener.NONE);
        }
        return file;
    }
}
