package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line: writes a benchmark-shaped random model (fast mode).
 * {@code WriteRandomModel tinyllama|falcon-7b|demo f32|f16|bf16|q8_0|q4_0 OUT.gguf}
 */
public final class WriteRandomModel {
    private WriteRandomModel() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: WriteRandomModel tinyllama|falcon-7b|demo f32|f16|bf16|q8_0|q4_0 OUT.gguf");
            System.exit(2);
        }
        GgmlType type = GgmlType.valueOf(args[1].toUpperCase(Locale.ROOT));
        RandomModelSpec spec = switch (args[0]) {
            case "tinyllama" -> RandomModelSpec.tinyLlamaShape(type);
            case "falcon-7b" -> RandomModelSpec.falcon7bShape(type);
            case "demo" -> DemoModel.SPEC.withWeightType(type);
            default -> throw new IllegalArgumentException("unknown shape " + args[0]);
        };
        long t0 = System.nanoTime();
        Path out = Path.of(args[2]);
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), out);
        System.err.printf("wrote %s (%s, %.2f GB) in %.1f s%n", out, spec.name(), java.nio.file.Files.size(out) / 1e9, (System.nanoTime() - t0) / 1e9);
    }
}
