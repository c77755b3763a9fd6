package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.tensor.Q4_0Matrix;
import ai.peregrine.engine.tensor.Q4_0x8Matrix;
import ai.peregrine.engine.tensor.WeightMatrices;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/** All weights of a llama- or falcon-architecture GGUF, by llama.cpp's tensor names, with shapes checked. */
public record TransformerWeights(
        WeightMatrix tokenEmbedding,
        float[] outputNorm, float[] outputNormBias,
        WeightMatrix output,
        LayerWeights[] layers) {

    /** {@code repack}: Q4_0 matrices are repacked for the decode kernels ({@link Q4_0x8Matrix}). */
    public static TransformerWeights load(GgufView f, ModelConfig c, boolean repack) {
        return load(f, c, repack, null);
    }

    /** {@link #load}, the repacked matrices read from or written into {@code cache} when it is not null. */
    public static TransformerWeights load(GgufView f, ModelConfig c, boolean repack, RepackCache cache) {
        Repacker r = new Repacker(repack, cache);
        int e = c.embeddingLength();
        int qDim = c.headCount() * c.headDim();
        WeightMatrix emb = matrix(f, r, "token_embd.weight", c.vocabSize(), e);
        WeightMatrix out = f.hasTensor("output.weight") ? matrix(f, r, "output.weight", c.vocabSize(), e) : emb;
        boolean falcon = c.architecture() == Architecture.FALCON;
        LayerWeights[] layers = new LayerWeights[c.layerCount()];
        // layers in parallel: repacking (see Q4_0x8Matrix) is memory-bound work per matrix, zeroing its new memory included
        IntStream.range(0, layers.length).parallel().forEach(l -> {
            String p = "blk." + l + ".";
            if (falcon) {
                layers[l] = new LayerWeights(
                        vector(f, p + "attn_norm.weight", e), vector(f, p + "attn_norm.bias", e),
                        c.parallelNorms() ? vector(f, p + "attn_norm_2.weight", e) : null,
                        c.parallelNorms() ? vector(f, p + "attn_norm_2.bias", e) : null,
                        null, null, null, null,
                        matrix(f, r, p + "attn_qkv.weight", qDim + 2 * c.kvDim(), e),
                        matrix(f, r, p + "attn_output.weight", e, qDim),
                        null,
                        matrix(f, r, p + "ffn_up.weight", c.feedForwardLength(), e),
                        matrix(f, r, p + "ffn_down.weight", e, c.feedForwardLength()));
            } else {
                layers[l] = new LayerWeights(
                        vector(f, p + "attn_norm.weight", e), null, null, null,
                        vector(f, p + "ffn_norm.weight", e),
                        matrix(f, r, p + "attn_q.weight", qDim, e),
                        matrix(f, r, p + "attn_k.weight", c.kvDim(), e),
                        matrix(f, r, p + "attn_v.weight", c.kvDim(), e),
                        null,
                        matrix(f, r, p + "attn_output.weight", e, qDim),
                        matrix(f, r, p + "ffn_gate.weight", c.feedForwardLength(), e),
                        matrix(f, r, p + "ffn_up.weight", c.feedForwardLength(), e),
                        matrix(f, r, p + "ffn_down.weight", e, c.feedForwardLength()));
            }
        });
        return new TransformerWeights(emb,
                vector(f, "output_norm.weight", e),
                falcon ? vector(f, "output_norm.bias", e) : null,
                out, layers);
    }

    private record Repacker(boolean enabled, RepackCache cache) {
        WeightMatrix apply(String name, Q4_0Matrix q) {
            WeightMatrix m = cache == null ? null : cache.matrix(name, q);
            return m != null ? m : Q4_0x8Matrix.repack(q);
        }
    }

    private static WeightMatrix matrix(GgufView f, Repacker repacker, String name, int rows, int cols) {
        WeightMatrix m = WeightMatrices.of(f, name);
        if (repacker.enabled && m instanceof Q4_0Matrix q && Q4_0x8Matrix.applies()) {
            m = repacker.apply(name, q);
            if (m != q) f.release(f.tensor(name)); // a view holding the bytes in memory (quantized on load) frees them
        }
        if (m.rows() != rows || m.cols() != cols) {
            throw new GgufFormatException(f.source() + ": tensor " + name + " is " + m.rows() + "x" + m.cols()
                    + " but the metadata implies " + rows + "x" + cols);
        }
        return m;
    }

    private static float[] vector(GgufView f, String name, int n) {
        GgufTensorInfo t = f.tensor(name);
        if (t.elements() != n) throw new GgufFormatException(f.source() + ": tensor " + name + " has " + t.elements() + " elements, expected " + n);
        float[] v = new float[n];
        var seg = f.tensorData(t);
        switch (t.type()) {
            case F32 -> java.lang.foreign.MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, v, 0, n);
            default -> WeightMatrices.of(f, name).dequantizeRow(0, v, 0);
        }
        return v;
    }
}
