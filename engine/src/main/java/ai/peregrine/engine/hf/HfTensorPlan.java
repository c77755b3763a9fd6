package ai.peregrine.engine.hf;

import ai.peregrine.engine.model.Architecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a checkpoint of a given config must hold, by their Hugging Face names and shapes, and where each goes in
 * the engine's (llama.cpp's) layout: its GGUF name and how its rows are reordered. Two re-layouts exist:
 * <ul>
 * <li>Falcon's fused {@code query_key_value} holds one group per key/value head: that group's query heads, then its
 *     key head, then its value head (7B: one group, 71 query heads then K then V; 40B: 8 groups of 16 query heads,
 *     each followed by its K and V). llama.cpp wants all query heads, then all key heads, then all value heads.</li>
 * <li>Llama's {@code q_proj}/{@code k_proj} rows are in the rotate-half RoPE order (each head's first half of
 *     dimensions, then its second half); llama.cpp rotates adjacent pairs, so each head's rows are interleaved
 *     (row 2i from i, row 2i+1 from i + headDim/2), as its converter does.</li>
 * </ul>
 */
public final class HfTensorPlan {
    /**
     * One tensor. {@code hfShape} is PyTorch's (outermost first); {@code rowOrder}, when not null, gives for each
     * output row the checkpoint row it comes from.
     */
    public record Entry(String hfName, String ggufName, long[] hfShape, int[] rowOrder, boolean optional) {}

    private HfTensorPlan() {}

    public static List<Entry> of(HfConfig c) {
        return c.architecture() == Architecture.FALCON ? falcon(c) : llama(c);
    }

    /** Tensors a checkpoint may hold that the engine does not use (recomputable buffers saved by old exports). */
    static boolean ignorable(String hfName) {
        return hfName.endsWith(".rotary_emb.inv_freq") || hfName.endsWith(".attention.masked_bias") || hfName.endsWith(".attn.bias");
    }

    private static List<Entry> falcon(HfConfig c) {
        long e = c.embeddingLength(), ff = c.feedForwardLength(), v = c.vocabSize();
        long qkvRows = (long) (c.headCount() + 2 * c.headCountKv()) * c.headDim();
        int[] qkvOrder = falconQkvOrder(c.headCount(), c.headCountKv(), c.headDim());
        List<Entry> t = new ArrayList<>();
        t.add(entry("transformer.word_embeddings.weight", "token_embd.weight", v, e));
        for (int l = 0; l < c.layerCount(); l++) {
            String h = "transformer.h." + l + ".", b = "blk." + l + ".";
            if (c.parallelNorms()) {
                t.add(entry(h + "ln_attn.weight", b + "attn_norm_2.weight", e));
                t.add(entry(h + "ln_attn.bias", b + "attn_norm_2.bias", e));
                t.add(entry(h + "ln_mlp.weight", b + "attn_norm.weight", e));
                t.add(entry(h + "ln_mlp.bias", b + "attn_norm.bias", e));
            } else {
                t.add(entry(h + "input_layernorm.weight", b + "attn_norm.weight", e));
                t.add(entry(h + "input_layernorm.bias", b + "attn_norm.bias", e));
            }
            t.add(new Entry(h + "self_attention.query_key_value.weight", b + "attn_qkv.weight", new long[] {qkvRows, e}, qkvOrder, false));
            t.add(entry(h + "self_attention.dense.weight", b + "attn_output.weight", e, (long) c.headCount() * c.headDim()));
            t.add(entry(h + "mlp.dense_h_to_4h.weight", b + "ffn_up.weight", ff, e));
            t.add(entry(h + "mlp.dense_4h_to_h.weight", b + "ffn_down.weight", e, ff));
        }
        t.add(entry("transformer.ln_f.weight", "output_norm.weight", e));
        t.add(entry("transformer.ln_f.bias", "output_norm.bias", e));
        t.add(new Entry("lm_head.weight", "output.weight", new long[] {v, e}, null, c.tiedEmbeddings()));
        return t;
    }

    private static List<Entry> llama(HfConfig c) {
        long e = c.embeddingLength(), ff = c.feedForwardLength(), v = c.vocabSize();
        int hd = c.headDim();
        long q = (long) c.headCount() * hd, kv = (long) c.headCountKv() * hd;
        int[] qOrder = ropeInterleave(c.headCount(), hd), kOrder = ropeInterleave(c.headCountKv(), hd);
        List<Entry> t = new ArrayList<>();
        t.add(entry("model.embed_tokens.weight", "token_embd.weight", v, e));
        for (int l = 0; l < c.layerCount(); l++) {
            String h = "model.layers." + l + ".", b = "blk." + l + ".";
            t.add(entry(h + "input_layernorm.weight", b + "attn_norm.weight", e));
            t.add(new Entry(h + "self_attn.q_proj.weight", b + "attn_q.weight", new long[] {q, e}, qOrder, false));
            t.add(new Entry(h + "self_attn.k_proj.weight", b + "attn_k.weight", new long[] {kv, e}, kOrder, false));
            t.add(entry(h + "self_attn.v_proj.weight", b + "attn_v.weight", kv, e));
            t.add(entry(h + "self_attn.o_proj.weight", b + "attn_output.weight", e, q));
            t.add(entry(h + "post_attention_layernorm.weight", b + "ffn_norm.weight", e));
            t.add(entry(h + "mlp.gate_proj.weight", b + "ffn_gate.weight", ff, e));
            t.add(entry(h + "mlp.up_proj.weight", b + "ffn_up.weight", ff, e));
            t.add(entry(h + "mlp.down_proj.weight", b + "ffn_down.weight", e, ff));
        }
        t.add(entry("model.norm.weight", "output_norm.weight", e));
        t.add(new Entry("lm_head.weight", "output.weight", new long[] {v, e}, null, c.tiedEmbeddings()));
        return t;
    }

    /** For each row of [all Q heads | all K heads | all V heads], its row in the per-group fused layout. */
    static int[] falconQkvOrder(int heads, int kvHeads, int headDim) {
        int perGroup = heads / kvHeads;
        int[] order = new int[(heads + 2 * kvHeads) * headDim];
        int out = 0;
        for (int h = 0; h < heads; h++) out = copyHead(order, out, (h / perGroup * (perGroup + 2) + h % perGroup) * headDim, headDim);
        for (int g = 0; g < kvHeads; g++) out = copyHead(order, out, (g * (perGroup + 2) + perGroup) * headDim, headDim);
        for (int g = 0; g < kvHeads; g++) out = copyHead(order, out, (g * (perGroup + 2) + perGroup + 1) * headDim, headDim);
        return order;
    }

    private static int copyHead(int[] order, int out, int from, int headDim) {
        for (int i = 0; i < headDim; i++) order[out++] = from + i;
        return out;
    }

    /** For each row of a rotate-half projection laid out for adjacent-pair RoPE, its row in the checkpoint. */
    static int[] ropeInterleave(int heads, int headDim) {
        int half = headDim / 2;
        int[] order = new int[heads * headDim];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                order[h * headDim + 2 * i] = h * headDim + i;
                order[h * headDim + 2 * i + 1] = h * headDim + half + i;
            }
        }
        return order;
    }

    private static Entry entry(String hf, String gguf, long... shape) {
        return new Entry(hf, gguf, shape, null, false);
    }
}
