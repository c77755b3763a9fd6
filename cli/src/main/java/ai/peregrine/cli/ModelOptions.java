package ai.peregrine.cli;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --model and --threads, shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE.gguf|ORG/NAME[@REV]",
            description = {"GGUF model file (llama or falcon architecture), or a Hugging Face hub model id",
                    "(downloaded into the hub cache first; with HF_HUB_OFFLINE=1 taken from the cache only).",
                    "Default: the built-in demo model (random weights)."})
    String model;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    int threadCount() {
        int n = threads == null ? ModelLoader.defaultThreads() : threads;
        if (n < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        return n;
    }

    TransformerModel open(PrintWriter err) throws IOException {
        if (model == null) {
            err.println("peregrine: no --model given: using the built-in demo model (random weights; its text is noise)");
            err.flush();
            return ModelLoader.loadDemo(threadCount());
        }
        Path path = HubModelArgument.resolve(model, Environment.get(), err);
        return ModelLoader.load(path, threadCount());
    }
}
