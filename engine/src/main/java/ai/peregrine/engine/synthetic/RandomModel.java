package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.gguf.GgufWriter;
import ai.peregrine.engine.model.Architecture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes random-weight GGUF v3 models that llama.cpp loads: {@code llama} (RMSNorm, SwiGLU, GQA, separate
 * Q/K/V) and {@code falcon} (LayerNorm with bias, fused QKV laid out [all Q | K | V], GELU MLP; optionally
 * Falcon-40B's {@code attn_norm_2}). Deterministic: the same spec, seed and tokenizer give the same bytes.
 */
public final class RandomModel {
    public enum Kind { MATRIX, NORM_WEIGHT, NORM_BIAS }

    /** One tensor to write. {@code shape} is in ggml order (inputs first). */
    public record TensorPlan(String name, long[] shape, GgmlType type, Kind kind, double std) {
        long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    private RandomModel() {}

    public static void write(RandomModelSpec spec, Map<String, GgufValue> tokenizer, Path path) throws IOException {
        writer(spec, tokenizer).write(path);
    }

    public static byte[] toBytes(RandomModelSpec spec, Map<String, GgufValue> tokenizer) {
        return writer(spec, tokenizer).toBytes();
    }

    /** {@code tokenizer}: the {@code tokenizer.*} metadata; its token list must have {@code spec.vocabSize()} entries. */
    public static GgufWriter writer(RandomModelSpec spec, Map<String, GgufValue> tokenizer) {
        checkVocabulary(spec, tokenizer);
        GgufWriter w = new GgufWriter();
        metadata(spec).forEach(w::put);
        tokenizer.forEach(w::put);
        for (TensorPlan t : tensors(spec)) {
            w.addTensor(t.name, t.type, t.shape, out -> writeValues(spec, t, out));
        }
        return w;
    }

    static Map<String, GgufValue> metadata(RandomModelSpec s) {
        String a = s.architecture().ggufName;
        var md = new java.util.LinkedHashMap<String, GgufValue>();
        md.put("general.architecture", GgufValue.string(a));
        md.put("general.name", GgufValue.string(s.name()));
        md.put("general.file_type", GgufValue.u32(s.quantization().fileType()));
        md.put("general.quantization_version", GgufValue.u32(2));
        md.put(a + ".context_length", GgufValue.u32(s.contextLength()));
        md.put(a + ".embedding_length", GgufValue.u32(s.embeddingLength()));
        md.put(a + ".block_count", GgufValue.u32(s.layerCount()));
        md.put(a + ".feed_forward_length", GgufValue.u32(s.feedForwardLength()));
        md.put(a + ".attention.head_count", GgufValue.u32(s.headCount()));
        md.put(a + ".attention.head_count_kv", GgufValue.u32(s.headCountKv()));
        md.put(a + (s.architecture() == Architecture.LLAMA ? ".attention.layer_norm_rms_epsilon" : ".attention.layer_norm_epsilon"),
                GgufValue.f32(s.normEps()));
        md.put(a + ".rope.dimension_count", GgufValue.u32(s.headDim()));
        md.put(a + ".rope.freq_base", GgufValue.f32(s.ropeTheta()));
        md.put(a + ".vocab_size", GgufValue.u32(s.vocabSize()));
        return md;
    }

    public static List<TensorPlan> tensors(RandomModelSpec s) {
        long e = s.embeddingLength(), v = s.vocabSize(), ff = s.feedForwardLength();
        long kv = (long) s.headCountKv() * s.headDim();
        double in = s.initGain() / Math.sqrt(e), down = s.initGain() / Math.sqrt(ff);
        boolean falcon = s.architecture() == Architecture.FALCON;
        List<TensorPlan> t = new ArrayList<>();
        t.add(matrix("token_embd.weight", e, v, s, s.embeddingStd()));
        t.add(norm("output_norm.weight", e, s));
        if (falcon) t.add(bias("output_norm.bias", e, s));
        if (s.outputWeight()) t.add(matrix("output.weight", e, v, s, in * s.outputGain()));
        for (int i = 0; i < s.layerCount(); i++) {
            String p = "blk." + i + ".";
            t.add(norm(p + "attn_norm.weight", e, s));
            if (falcon) {
                t.add(bias(p + "attn_norm.bias", e, s));
                if (s.parallelNorms()) {
                    t.add(norm(p + "attn_norm_2.weight", e, s));
                    t.add(bias(p + "attn_norm_2.bias", e, s));
                }
                t.add(matrix(p + "attn_qkv.weight", e, e + 2 * kv, s, in));
                t.add(matrix(p + "attn_output.weight", e, e, s, in));
                t.add(matrix(p + "ffn_up.weight", e, ff, s, in));
                t.add(matrix(p + "ffn_down.weight", ff, e, s, down));
            } else {
                t.add(matrix(p + "attn_q.weight", e, e, s, in));
                t.add(matrix(p + "attn_k.weight", e, kv, s, in));
                t.add(matrix(p + "attn_v.weight", e, kv, s, in));
                t.add(matrix(p + "attn_output.weight", e, e, s, in));
                t.add(norm(p + "ffn_norm.weight", e, s));
                t.add(matrix(p + "ffn_gate.weight", e, ff, s, in));
                t.add(matrix(p + "ffn_up.weight", e, ff, s, in));
                t.add(matrix(p + "ffn_down.weight", ff, e, s, down));
            }
        }
        for (TensorPlan p : t) {
            if (p.shape[0] % p.type.blockSize != 0) {
                throw new IllegalArgumentException(p.name + ": input size " + p.shape[0] + " is not a multiple of the " + p.type + " block size");
            }
        }
        return t;
    }

    private static TensorPlan matrix(String name, long in, long out, RandomModelSpec s, double std) {
        long[] shape = {in, out};
        GgmlType type = s.quantization().typeOf(name, shape, s.architecture(), s.layerCount(), !s.outputWeight());
        return new TensorPlan(name, shape, type, Kind.MATRIX, std);
    }

    private static TensorPlan norm(String name, long n, RandomModelSpec s) {
        return new TensorPlan(name, new long[] {n}, GgmlType.F32, Kind.NORM_WEIGHT, s.normNoise());
    }

    private static TensorPlan bias(String name, long n, RandomModelSpec s) {
        return new TensorPlan(name, new long[] {n}, GgmlType.F32, Kind.NORM_BIAS, s.normNoise());
    }

    private static void writeValues(RandomModelSpec spec, TensorPlan t, OutputStream out) throws IOException {
        TensorRandom rnd = new TensorRandom(spec.seed(), t.name);
        if (spec.fast() && t.kind == Kind.MATRIX) {
            FastRandomBlocks.write(t.type, t.elements(), t.std, rnd, out);
            return;
        }
        int rowLen = (int) t.shape[0];
        long rows = t.elements() / rowLen;
        float[] row = new float[rowLen];
        byte[] bytes = new byte[(int) t.type.bytesFor(rowLen)];
        double mean = t.kind == Kind.NORM_WEIGHT ? 1.0 : 0.0;
        for (long r = 0; r < rows; r++) {
            for (int i = 0; i < rowLen; i++) row[i] = (float) (mean + t.std * rnd.nextGaussian());
            GgmlEncoding.encode(t.type, row, 0, rowLen, bytes, 0);
            out.write(bytes);
        }
    }

    private static void checkVocabulary(RandomModelSpec spec, Map<String, GgufValue> tokenizer) {
        GgufValue tokens = tokenizer.get("tokenizer.ggml.tokens");
        if (tokens != null && tokens.value() instanceof GgufValue.GgufArray a && a.length() != spec.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + a.length() + " tokens but the spec's vocabulary size is " + spec.vocabSize());
        }
    }
}
