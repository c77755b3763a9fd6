package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufMetadata;

/**
 * Hyper-parameters, read from GGUF metadata only ({@code <arch>.*} keys).
 *
 * @param ropeDim      number of leading dimensions of each head that RoPE rotates
 * @param parallelNorms Falcon-40B style: a second LayerNorm ({@code attn_norm_2}) feeds attention
 */
public record ModelConfig(
        Architecture architecture,
        String name,
        int embeddingLength,
        int layerCount,
        int headCount,
        int headCountKv,
        int headDim,
        int feedForwardLength,
        int vocabSize,
        int contextLength,
        float normEps,
        float ropeTheta,
        int ropeDim,
        boolean parallelNorms) {

    public int kvDim() {
        return headCountKv * headDim;
    }

    /** Bytes of KV cache per position of a sequence: keys and values of the given type for every layer ({@code KvCache}). */
    public long kvBytesPerPosition(KvCacheType type) {
        return 2L * layerCount * kvDim() * type.bytes();
    }

    public static ModelConfig fromGguf(GgufMetadata md, int vocabSize, boolean parallelNorms) {
        Architecture arch = Architecture.fromGguf(md.getString("general.architecture"));
        String p = arch.ggufName + ".";
        int nEmbd = md.getInt(p + "embedding_length");
        int nHead = md.getInt(p + "attention.head_count");
        int nHeadKv = md.getInt(p + "attention.head_count_kv", nHead);
        int headDim = md.getInt(p + "attention.key_length", nEmbd / nHead);
        float eps = arch == Architecture.LLAMA
                ? md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f)
                : md.getFloat(p + "attention.layer_norm_epsilon", 1e-5f);
        return new ModelConfig(
                arch,
                md.string("general.name").orElse(arch.ggufName),
                nEmbd,
                md.getInt(p + "block_count"),
                nHead,
                nHeadKv,
                headDim,
                md.getInt(p + "feed_forward_length"),
                vocabSize,
                md.getInt(p + "context_length", 2048),
                eps,
                md.getFloat(p + "rope.freq_base", 10000f),
                md.getInt(p + "rope.dimension_count", headDim),
                parallelNorms);
    }
}
