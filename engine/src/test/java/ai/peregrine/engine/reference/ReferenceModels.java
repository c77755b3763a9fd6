package ai.peregrine.engine.reference;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.synthetic.QuantizationMix;
import ai.peregrine.engine.synthetic.RandomModel;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The tiny random models that have llama.cpp golden files, by name (the golden file is {@code <name>.json}). */
final class ReferenceModels {
    static final Map<String, RandomModelSpec> ALL = new LinkedHashMap<>();

    static {
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q5_1}) {
            String t = type.name().toLowerCase(Locale.ROOT);
            ALL.put("llama-" + t, RandomModelSpec.llama(128, 2, 4, 2, 352, 512, type).withName("ref-llama-" + t));
            ALL.put("falcon-" + t, RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, type).withName("ref-falcon-" + t));
        }
        ALL.put("falcon40b-f32", RandomModelSpec.falcon(128, 2, 4, 2, 512, 512, GgmlType.F32)
                .withParallelNorms(true).withName("ref-falcon40b-f32"));
        ALL.put("llama-tied-f32", RandomModelSpec.llama(128, 2, 4, 2, 352, 512, GgmlType.F32)
                .withOutputWeight(false).withName("ref-llama-tied-f32"));
        // K-quants need rows of whole 256-value super-blocks: embedding 256, feed-forward 768 (llama) / 1024 (falcon)
        for (QuantizationMix mix : new QuantizationMix[] {QuantizationMix.pure(GgmlType.Q4_K), QuantizationMix.pure(GgmlType.Q5_K),
                QuantizationMix.pure(GgmlType.Q6_K), QuantizationMix.Q4_K_M}) {
            ALL.put("llama-" + mix.name(), RandomModelSpec.llama(256, 2, 4, 2, 768, 512, GgmlType.F32).withQuantization(mix)
                    .withName("ref-llama-" + mix.name()));
            ALL.put("falcon-" + mix.name(), RandomModelSpec.falcon(256, 2, 4, 1, 1024, 512, GgmlType.F32).withQuantization(mix)
                    .withName("ref-falcon-" + mix.name()));
        }
        // Falcon-7B's 4544 columns are not whole super-blocks, so llama.cpp's K-quant mixes store those matrices as
        // q5_0 (Q4_K_M) or q5_1 (Q5_K_M) and the output as q8_0: 288 columns (9 blocks) do the same
        for (QuantizationMix mix : new QuantizationMix[] {QuantizationMix.Q4_K_M, QuantizationMix.Q5_K_M}) {
            ALL.put("falcon-288-" + mix.name(), RandomModelSpec.falcon(288, 2, 4, 1, 1024, 512, GgmlType.F32).withQuantization(mix)
                    .withName("ref-falcon-288-" + mix.name()));
        }
        // tied embeddings: Q4_K_M stores token_embd as q6_K, read both as the embedding table and the output matrix;
        // embeddings of std 0.1 keep the logits near an untied model's (std 1 makes each token predict itself ~100 nats ahead)
        ALL.put("llama-tied-q4_k_m", RandomModelSpec.llama(256, 2, 4, 2, 768, 512, GgmlType.F32).withQuantization(QuantizationMix.Q4_K_M)
                .withOutputWeight(false).withEmbeddingStd(0.1f).withName("ref-llama-tied-q4_k_m"));
    }

    private ReferenceModels() {}

    static Path write(String name, Path dir) throws IOException {
        RandomModelSpec spec = ALL.get(name);
        if (spec == null) throw new IllegalArgumentException("no reference model " + name);
        Path file = dir.resolve(name + ".gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), file);
        return file;
    }
}
