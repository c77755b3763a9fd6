package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.engine.tokenizer.Tokenizers;
import ai.peregrine.engine.synthetic.DemoModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Opens a GGUF model: maps the file, reads the configuration and tokenizer, and wraps the weights. */
public final class ModelLoader {
    private ModelLoader() {}

    public static TransformerModel load(Path path) throws IOException {
        return load(path, defaultThreads());
    }

    public static TransformerModel load(Path path, int threads) throws IOException {
        return load(GgufFile.open(path), threads);
    }

    /** Takes ownership of {@code file}: it is closed with the model, or now if loading fails. */
    public static TransformerModel load(GgufFile file, int threads) {
        try {
            var md = file.metadata();
            Architecture.fromGguf(md.getString("general.architecture"));
            Tokenizer tokenizer = Tokenizers.fromGguf(md);
            String arch = md.getString("general.architecture");
            boolean parallelNorms = arch.equals("falcon") && file.hasTensor("blk.0.attn_norm_2.weight");
            int vocab = Math.toIntExact(file.tensor("token_embd.weight").shape()[1]);
            ModelConfig config = ModelConfig.fromGguf(md, vocab, parallelNorms);
            TransformerWeights weights = TransformerWeights.load(file, config);
            return new TransformerModel(file, config, tokenizer, weights, threads);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The built-in demo model (random weights, made in memory): see {@link DemoModel}. */
    public static TransformerModel loadDemo(int threads) {
        byte[] image = DemoModel.gguf();
        Arena arena = Arena.ofShared();
        MemorySegment native_ = arena.allocate(image.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(image), 0, native_, 0, image.length);
        return load(GgufFile.of(DemoModel.NAME + " (built-in demo, random weights)", native_, arena), threads);
    }

    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
