package ai.peregrine.engine.synthetic;

import java.nio.file.Path;

/**
 * Command line: writes a benchmark-shaped random model (fast mode).
 * {@code WriteRandomModel tinyllama|falcon-7b|demo TYPE OUT.gguf}, TYPE one of {@link QuantizationMix#names()}.
 */
public final class WriteRandomModel {
    private WriteRandomModel() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: WriteRandomModel tinyllama|falcon-7b|demo " + String.join("|", QuantizationMix.names()) + " OUT.gguf");
            System.exit(2);
        }
        QuantizationMix mix = QuantizationMix.parse(args[1]);
        RandomModelSpec spec = switch (args[0]) {
            case "tinyllama" -> RandomModelSpec.tinyLlamaShape(mix.baseType());
            case "falcon-7b" -> RandomModelSpec.falcon7bShape(mix.baseType());
            case "demo" -> DemoModel.SPEC;
            default -> throw new IllegalArgumentException("unknown shape " + args[0]);
        };
        spec = spec.withQuantization(mix);
        long t0 = System.nanoTime();
        Path out = Path.of(args[2]);
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), out);
        System.err.printf("wrote %s (%s, %.2f GB) in %.1f s%n", out, spec.name(), java.nio.file.Files.size(out) / 1e9, (System.nanoTime() - t0) / 1e9);
    }
}
