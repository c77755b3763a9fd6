package ai.peregrine.cli;

import ai.peregrine.engine.convert.GgufConverter;
import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.model.ModelLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a Hugging Face model directory (or a GGUF file) to a GGUF file that llama.cpp and Peregrine load,",
                "with llama.cpp's tensor names, layouts and metadata (tokenizer included)."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HF_DIR|ORG/NAME[@REV]|FILE.gguf",
            description = "The model: a directory with config.json, safetensors and tokenizer.json, a hub model id (from the cache, else downloaded), or a GGUF file.")
    String source;

    @Option(names = "--to", required = true, paramLabel = "OUT.gguf", description = "The GGUF file to write (replaced if it exists).")
    Path out;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "f16", converter = Type.class,
            description = {"Type of the matrices: f32, f16, bf16, q8_0, q4_0, q4_k, q5_k, q6_k, or llama.cpp's mixes q4_k_m / q5_k_m",
                    "(default ${DEFAULT-VALUE}, as llama.cpp's converter; q4_0 keeps the output matrix in q8_0; the mixes choose",
                    "per tensor as llama-quantize does). Norm vectors stay f32."})
    TargetType type;

    @Option(names = "--threads", paramLabel = "N", description = "Threads that quantize (default: all cores).")
    Integer threads;

    static final class Type implements ITypeConverter<TargetType> {
        @Override
        public TargetType convert(String value) {
            return TargetType.parse(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        int n = threads == null ? ModelLoader.defaultThreads() : threads;
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        if (Files.isDirectory(out)) throw new IllegalArgumentException("--to " + out + " is a directory; give a file name");
        long start = System.nanoTime();
        String arch;
        Path path = HubModelArgument.resolve(source, Environment.get(), err);
        try (GgufView model = ModelLoader.open(path); ProgressBars bars = new ProgressBars(err)) {
            arch = model.metadata().getString("general.architecture");
            GgufConverter.write(model, type, out, n, bars);
        }
        err.printf("peregrine: wrote %s (%s, %s, %.1f MB) in %.1f s%n", out, arch, type.label(), Files.size(out) / 1e6,
                (System.nanoTime() - start) / 1e9);
        err.flush();
        return 0;
    }
}
