package ai.peregrine.cli;

import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.model.KvCacheType;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** --model, --threads and --quantize, shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE.gguf|DIR|ORG/NAME[@REV]",
            description = {"GGUF model file or Hugging Face model directory (llama or falcon architecture), or a Hugging Face",
                    "hub model id (downloaded into the hub cache first; with HF_HUB_OFFLINE=1 taken from the cache only).",
                    "Default: the built-in demo model (random weights)."})
    String model;

    @Option(names = "--quantize", paramLabel = "TYPE", converter = QuantizeType.class,
            description = {"Quantize F32/F16/BF16 weights while loading: q8_0, q4_0, q4_k, q5_k, q6_k, q4_k_m or q5_k_m",
                    "(memory per weight: ~1.06, ~0.56, ~0.56, ~0.69, ~0.82, ~0.6, ~0.7 bytes)."})
    TargetType quantize;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--no-repack", description = {"Run Q4_0 weights from the mapped file as stored instead of repacking them",
            "for the faster decode kernels while loading (quicker start and less memory, ~1.7x slower Q4_0 mat-vecs)."})
    boolean noRepack;

    @Option(names = "--no-repack-cache", description = {"Repack Q4_0 weights in memory at every load instead of keeping the repacked",
            "copy under $PEREGRINE_CACHE/repacked (default ~/.cache/peregrine) for later loads to map (first load writes it)."})
    boolean noRepackCache;

    @Option(names = "--kv-cache-type", paramLabel = "TYPE", converter = KvCacheTypeOption.class,
            description = KvCacheTypeOption.DESCRIPTION)
    KvCacheType kvCacheType;

    int threadCount() {
        int n = threads == null ? ModelLoader.defaultThreads() : threads;
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        return n;
    }

    LoadOptions loadOptions(ProgressBars bars) {
        Map<String, String> env = Environment.get();
        return new LoadOptions(threadCount(), quantize, bars, !noRepack, noRepackCache ? null : RepackCacheFolder.of(env))
                .withRepackCacheLimit(RepackCacheFolder.limit(env))
                .withKvCacheType(KvCacheTypeOption.resolve(kvCacheType, env));
    }

    TransformerModel open(PrintWriter err) throws IOException {
        if (model == null) {
            err.println("peregrine: no --model given: using the built-in demo model (random weights; its text is noise)");
            err.flush();
            return ModelLoader.loadDemo(LoadOptions.threads(threadCount())
                    .withKvCacheType(KvCacheTypeOption.resolve(kvCacheType, Environment.get())));
        }
        Path path = HubModelArgument.resolve(model, Environment.get(), err);
        try (ProgressBars bars = new ProgressBars(err)) {
            return ModelLoader.load(path, loadOptions(bars));
        }
    }
}
