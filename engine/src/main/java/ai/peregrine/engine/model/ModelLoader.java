package ai.peregrine.engine.model;

import ai.peregrine.engine.convert.QuantizedView;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.hf.HfModelDirectory;
import ai.peregrine.engine.tensor.Q4_0x8Matrix;
import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.engine.tokenizer.Tokenizers;
import ai.peregrine.engine.synthetic.DemoModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model: a GGUF file, or a Hugging Face model directory (config.json, safetensors, tokenizer.json) seen as
 * the GGUF llama.cpp's converter would make of it. Maps the weights, reads the configuration and tokenizer, and wraps
 * the weights; optionally quantizes float weights on the way.
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static TransformerModel load(Path path) throws IOException {
        return load(path, defaultThreads());
    }

    public static TransformerModel load(Path path, int threads) throws IOException {
        return load(path, LoadOptions.threads(threads));
    }

    public static TransformerModel load(Path path, LoadOptions options) throws IOException {
        GgufView file = open(path);
        boolean cacheable = options.repack() && options.repackCache() != null && options.quantize() == null
                && Files.isRegularFile(path) && Q4_0x8Matrix.applies();
        if (!cacheable) return load(file, options);
        RepackCache cache;
        try {
            cache = RepackCache.open(path, options.repackCache(), options.repackCacheLimit(), file, options.progress());
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        if (cache == null) return load(file, options);
        try {
            TransformerModel model = load(file, options, cache);
            cache.commit();
            return model;
        } catch (RuntimeException e) {
            cache.abandon();
            throw e;
        }
    }

    /** The GGUF view of {@code path}: the mapped file, or a Hugging Face directory's checkpoint. */
    public static GgufView open(Path path) throws IOException {
        return Files.isDirectory(path) ? HfModelDirectory.open(path) : GgufFile.open(path);
    }

    public static TransformerModel load(GgufView file, int threads) {
        return load(file, LoadOptions.threads(threads));
    }

    /** Takes ownership of {@code file}: it is closed with the model, or now if loading fails. */
    public static TransformerModel load(GgufView file, LoadOptions options) {
        return load(file, options, null);
    }

    private static TransformerModel load(GgufView file, LoadOptions options, RepackCache cache) {
        try {
            if (options.quantize() != null) file = QuantizedView.of(file, options.quantize(), options.threads(), options.progress());
            var md = file.metadata();
            Architecture.fromGguf(md.getString("general.architecture"));
            Tokenizer tokenizer = Tokenizers.fromGguf(md);
            String arch = md.getString("general.architecture");
            boolean parallelNorms = arch.equals("falcon") && file.hasTensor("blk.0.attn_norm_2.weight");
            int vocab = Math.toIntExact(file.tensor("token_embd.weight").shape()[1]);
            ModelConfig config = ModelConfig.fromGguf(md, vocab, parallelNorms);
            TransformerWeights weights = TransformerWeights.load(file, config, options.repack(), cache);
            return new TransformerModel(file, config, tokenizer, weights, options.threads(), options.kvCacheType());
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The built-in demo model (random weights, made in memory): see {@link DemoModel}. */
    public static TransformerModel loadDemo(int threads) {
        return loadDemo(LoadOptions.threads(threads));
    }

    /** The demo model with the given options (its weights are f32 in memory: quantize and repack as they say). */
    public static TransformerModel loadDemo(LoadOptions options) {
        byte[] image = DemoModel.gguf();
        Arena arena = Arena.ofShared();
        MemorySegment native_ = arena.allocate(image.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(image), 0, native_, 0, image.length);
        return load(GgufFile.of(DemoModel.NAME + " (built-in demo, random weights)", native_, arena), options);
    }

    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
