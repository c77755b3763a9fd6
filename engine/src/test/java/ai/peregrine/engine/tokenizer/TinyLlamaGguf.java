package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.gguf.GgufWriter;
import java.util.Map;

/**
 * The smallest llama-architecture GGUF llama.cpp will load (one layer, zero F32 weights), carrying a vocabulary: the
 * tokenizer goldens need llama.cpp to load the file.
 */
final class TinyLlamaGguf {
    private static final int EMBD = 8, HEADS = 2, FF = 16;

    private TinyLlamaGguf() {}

    static byte[] write(Map<String, GgufValue> tokenizer, int vocabSize) {
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.string("llama"));
        w.put("general.name", GgufValue.string("tokenizer-fixture"));
        w.put("llama.context_length", GgufValue.u32(256));
        w.put("llama.embedding_length", GgufValue.u32(EMBD));
        w.put("llama.block_count", GgufValue.u32(1));
        w.put("llama.feed_forward_length", GgufValue.u32(FF));
        w.put("llama.attention.head_count", GgufValue.u32(HEADS));
        w.put("llama.attention.head_count_kv", GgufValue.u32(HEADS));
        w.put("llama.rope.dimension_count", GgufValue.u32(EMBD / HEADS));
        w.put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(1e-5f));
        tokenizer.forEach(w::put);
        zeros(w, "token_embd.weight", EMBD, vocabSize);
        zeros(w, "output_norm.weight", EMBD);
        zeros(w, "blk.0.attn_norm.weight", EMBD);
        zeros(w, "blk.0.attn_q.weight", EMBD, EMBD);
        zeros(w, "blk.0.attn_k.weight", EMBD, EMBD);
        zeros(w, "blk.0.attn_v.weight", EMBD, EMBD);
        zeros(w, "blk.0.attn_output.weight", EMBD, EMBD);
        zeros(w, "blk.0.ffn_norm.weight", EMBD);
        zeros(w, "blk.0.ffn_gate.weight", EMBD, FF);
        zeros(w, "blk.0.ffn_up.weight", EMBD, FF);
        zeros(w, "blk.0.ffn_down.weight", FF, EMBD);
        return w.toBytes();
    }

    private static void zeros(GgufWriter w, String name, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        w.addTensor(name, GgmlType.F32, shape, new byte[Math.toIntExact(n * 4)]);
    }
}
