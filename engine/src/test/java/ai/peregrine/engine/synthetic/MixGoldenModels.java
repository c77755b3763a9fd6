package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models of {@link QuantizationMixTest}'s llama.cpp comparison (also converted by the convert package's tests), and (as a command line for
 * tools/oracle/regen-quantizer-goldens.sh) their F32 files for {@code llama_model_quantize} plus a description of
 * what it made of them:
 * <pre>
 *   MixGoldenModels write DIR            writes NAME.f32.gguf per model, prints "NAME FTYPE pure|mix" lines
 *   MixGoldenModels describe NAME FILE   prints "NAME": {"tensor": "TYPE SHA256", ...}
 * </pre>
 */
public final class MixGoldenModels {
    /** Name → the mix Peregrine writes; 16 layers exercise every branch of the Q4_K_M / Q5_K_M layer rules. */
    public static final Map<String, RandomModelSpec> ALL = new LinkedHashMap<>();

    static {
        RandomModelSpec llama = RandomModelSpec.llama(256, 16, 4, 2, 256, 512, GgmlType.F32);
        RandomModelSpec falcon = RandomModelSpec.falcon(256, 16, 4, 1, 256, 512, GgmlType.F32);
        for (QuantizationMix mix : new QuantizationMix[] {QuantizationMix.Q4_K_M, QuantizationMix.Q5_K_M}) {
            ALL.put("llama-" + mix.name(), llama.withQuantization(mix).withName("mix-llama-" + mix.name()));
            ALL.put("falcon-" + mix.name(), falcon.withQuantization(mix).withName("mix-falcon-" + mix.name()));
            // columns that are not whole super-blocks: the q5_0 / q5_1 / q8_0 fallbacks (Falcon-7B's 4544)
            ALL.put("falcon-288-" + mix.name(), RandomModelSpec.falcon(288, 16, 4, 1, 256, 512, GgmlType.F32).withQuantization(mix)
                    .withName("mix-falcon-288-" + mix.name()));
        }
        ALL.put("llama-tied-q4_k_m", llama.withOutputWeight(false).withQuantization(QuantizationMix.Q4_K_M).withName("mix-llama-tied-q4_k_m"));
        ALL.put("falcon-q6_k", RandomModelSpec.falcon(256, 2, 4, 1, 256, 512, GgmlType.Q6_K).withName("mix-falcon-q6_k"));
    }

    private MixGoldenModels() {}

    /** Each tensor's type and the sha256 of its bytes. */
    public static Map<String, String> describe(GgufView file) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (GgufTensorInfo t : file.tensors().values()) {
            byte[] data = file.tensorData(t).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            out.put(t.name(), t.type() + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("write")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            for (var e : ALL.entrySet()) {
                RandomModelSpec f32 = e.getValue().withWeightType(GgmlType.F32);
                RandomModel.write(f32, SyntheticTokenizer.forSpec(f32), dir.resolve(e.getKey() + ".f32.gguf"));
                QuantizationMix mix = e.getValue().quantization();
                System.out.println(e.getKey() + " " + mix.fileType() + " " + (mix.rule() == QuantizationMix.Rule.PURE ? "pure" : "mix"));
            }
        } else if (args.length == 3 && args[0].equals("describe")) {
            try (GgufFile f = GgufFile.open(Path.of(args[2]))) {
                StringBuilder sb = new StringBuilder("\"" + args[1] + "\": {");
                String sep = "";
                for (var e : describe(f).entrySet()) {
                    sb.append(sep).append("\"").append(e.getKey()).append("\": \"").append(e.getValue()).append("\"");
                    sep = ", ";
                }
                System.out.println(sb.append("}"));
            }
        } else {
            System.err.println("usage: MixGoldenModels write DIR | describe NAME FILE");
            System.exit(2);
        }
    }
}
