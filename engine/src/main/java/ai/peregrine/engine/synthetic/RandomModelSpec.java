package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.model.Architecture;

/**
 * Shape and value distribution of a random-weight model written by {@link RandomModel}.
 *
 * @param quantization  the type of each 2-D weight (norms are always F32)
 * @param outputWeight  write {@code output.weight}; otherwise the embeddings are tied
 * @param parallelNorms Falcon-40B style: a second LayerNorm {@code attn_norm_2} per block (falcon only)
 * @param fast          random but valid blocks instead of per-element Gaussians: for multi-GB benchmark files
 * @param outputGain    extra std factor for {@code output.weight}: sharper next-token distributions,
 *                      so greedy continuations have top-1/top-2 gaps larger than comparison tolerances
 */
public record RandomModelSpec(
        Architecture architecture,
        String name,
        int embeddingLength,
        int layerCount,
        int headCount,
        int headCountKv,
        int feedForwardLength,
        int vocabSize,
        int contextLength,
        QuantizationMix quantization,
        boolean outputWeight,
        boolean parallelNorms,
        long seed,
        boolean fast,
        float normEps,
        float ropeTheta,
        float initGain,
        float embeddingStd,
        float outputGain,
        float normNoise) {

    public RandomModelSpec {
        if (embeddingLength % headCount != 0) throw new IllegalArgumentException("embedding length must be divisible by head count");
        if (headCount % headCountKv != 0) throw new IllegalArgumentException("head count must be divisible by KV head count");
        if (parallelNorms && architecture != Architecture.FALCON) throw new IllegalArgumentException("attn_norm_2 is a falcon tensor");
    }

    /** Llama defaults: untied output, n_ff = 8E/3 rounded up to 32, like make_gguf.py and most real checkpoints. */
    public static RandomModelSpec llama(int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int vocab, GgmlType type) {
        return new RandomModelSpec(Architecture.LLAMA, "random-llama-" + nEmbd + "x" + nLayer, nEmbd, nLayer, nHead, nHeadKv,
                nFf, vocab, 2048, QuantizationMix.pure(type), true, false, 1234, false, 1e-5f, 10000f, 1f, 1f, 4f, 0.1f);
    }

    /** Falcon-7B defaults: one LayerNorm per block, untied output. */
    public static RandomModelSpec falcon(int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int vocab, GgmlType type) {
        return new RandomModelSpec(Architecture.FALCON, "random-falcon-" + nEmbd + "x" + nLayer, nEmbd, nLayer, nHead, nHeadKv,
                nFf, vocab, 2048, QuantizationMix.pure(type), true, false, 1234, false, 1e-5f, 10000f, 1f, 1f, 4f, 0.1f);
    }

    /** TinyLlama-1.1B shape, fast random weights (benchmarks). */
    public static RandomModelSpec tinyLlamaShape(GgmlType type) {
        return llama(2048, 22, 32, 4, 5632, 32000, type).withName("random-tinyllama-1.1b-shape").withFast(true);
    }

    /** Falcon-7B shape, fast random weights (benchmarks). */
    public static RandomModelSpec falcon7bShape(GgmlType type) {
        return falcon(4544, 32, 71, 1, 18176, 65024, type).withName("random-falcon-7b-shape").withFast(true);
    }

    public int headDim() {
        return embeddingLength / headCount;
    }

    public RandomModelSpec withName(String v) {
        return new RandomModelSpec(architecture, v, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, outputWeight, parallelNorms, seed, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withWeightType(GgmlType v) {
        return withQuantization(QuantizationMix.pure(v));
    }

    public RandomModelSpec withQuantization(QuantizationMix v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, v, outputWeight, parallelNorms, seed, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withOutputWeight(boolean v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, v, parallelNorms, seed, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withParallelNorms(boolean v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, outputWeight, v, seed, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withSeed(long v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, outputWeight, parallelNorms, v, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withFast(boolean v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, outputWeight, parallelNorms, seed, v, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }

    public RandomModelSpec withEmbeddingStd(float v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                contextLength, quantization, outputWeight, parallelNorms, seed, fast, normEps, ropeTheta, initGain, v, outputGain, normNoise);
    }

    public RandomModelSpec withContextLength(int v) {
        return new RandomModelSpec(architecture, name, embeddingLength, layerCount, headCount, headCountKv, feedForwardLength, vocabSize,
                v, quantization, outputWeight, parallelNorms, seed, fast, normEps, ropeTheta, initGain, embeddingStd, outputGain, normNoise);
    }
}
