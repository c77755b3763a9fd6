package ai.peregrine.engine.hf;

import ai.peregrine.engine.model.Architecture;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * What transformers computes for a checkpoint, written from its modeling code (modeling_falcon.py, modeling_llama.py)
 * in double precision straight over the Hugging Face tensors: Falcon's fused QKV split per key/value group as
 * {@code FalconAttention._split_heads} does, rotate-half RoPE on the checkpoint's own Q/K rows. Independent of the
 * converter's re-layouts, so it catches a wrong one. GELU is the tanh form that ggml (and so llama.cpp and Peregrine)
 * computes, not transformers' erf, so that the comparison can stay tight.
 */
final class HfReferenceForward {
    private final RandomModelSpec s;
    private final boolean newDecoder;
    private final Map<String, float[]> w = new HashMap<>();

    HfReferenceForward(RandomHfCheckpoint.Spec spec) {
        this.s = spec.model();
        this.newDecoder = s.parallelNorms();
        for (RandomHfCheckpoint.Tensor t : RandomHfCheckpoint.tensors(spec)) w.put(t.name(), t.values());
    }

    /** Logits after each of {@code tokens}: [position][vocab]. */
    double[][] logits(int[] tokens) {
        int n = tokens.length, e = s.embeddingLength(), hd = s.headDim();
        boolean falcon = s.architecture() == Architecture.FALCON;
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) x[t] = row(falcon ? "transformer.word_embeddings.weight" : "model.embed_tokens.weight", tokens[t], e);
        for (int l = 0; l < s.layerCount(); l++) {
            x = falcon ? falconLayer(l, x) : llamaLayer(l, x);
        }
        double[][] logits = new double[n][];
        String head = w.containsKey("lm_head.weight") ? "lm_head.weight" : (falcon ? "transformer.word_embeddings.weight" : "model.embed_tokens.weight");
        for (int t = 0; t < n; t++) {
            double[] h = falcon ? layerNorm(x[t], "transformer.ln_f") : rmsNorm(x[t], "model.norm.weight");
            logits[t] = matvec(head, h, s.vocabSize());
        }
        return logits;
    }

    private double[][] falconLayer(int l, double[][] x) {
        String p = "transformer.h." + l + ".";
        int n = x.length, e = s.embeddingLength(), hd = s.headDim(), heads = s.headCount();
        int kvHeads = newDecoder ? s.headCountKv() : (s.headCountKv() == 1 ? 1 : heads);
        double[][][] q = new double[n][heads][], k = new double[n][kvHeads][], v = new double[n][kvHeads][];
        double[][] mlpIn = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] attnIn = layerNorm(x[t], p + (newDecoder ? "ln_attn" : "input_layernorm"));
            mlpIn[t] = newDecoder ? layerNorm(x[t], p + "ln_mlp") : attnIn;
            double[] fused = matvec(p + "self_attention.query_key_value.weight", attnIn, (heads + 2 * kvHeads) * hd);
            if (newDecoder) { // view(-1, heads/kv + 2, hd): each group's queries, then its key, then its value
                int r = heads / kvHeads;
                for (int g = 0; g < kvHeads; g++) {
                    for (int i = 0; i < r; i++) q[t][g * r + i] = slice(fused, (g * (r + 2) + i) * hd, hd);
                    k[t][g] = slice(fused, (g * (r + 2) + r) * hd, hd);
                    v[t][g] = slice(fused, (g * (r + 2) + r + 1) * hd, hd);
                }
            } else if (kvHeads == 1) { // multi-query: view(heads + 2, hd)
                for (int h = 0; h < heads; h++) q[t][h] = slice(fused, h * hd, hd);
                k[t][0] = slice(fused, heads * hd, hd);
                v[t][0] = slice(fused, (heads + 1) * hd, hd);
            } else { // view(heads, 3, hd)
                for (int h = 0; h < heads; h++) {
                    q[t][h] = slice(fused, 3 * h * hd, hd);
                    k[t][h] = slice(fused, (3 * h + 1) * hd, hd);
                    v[t][h] = slice(fused, (3 * h + 2) * hd, hd);
                }
            }
            for (double[] head : q[t]) rotateHalf(head, t);
            for (double[] head : k[t]) rotateHalf(head, t);
        }
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] attn = attention(q, k, v, t, heads, kvHeads);
            double[] proj = matvec(p + "self_attention.dense.weight", attn, e);
            double[] up = matvec(p + "mlp.dense_h_to_4h.weight", mlpIn[t], s.feedForwardLength());
            for (int i = 0; i < up.length; i++) up[i] = gelu(up[i]);
            double[] down = matvec(p + "mlp.dense_4h_to_h.weight", up, e);
            out[t] = new double[e];
            for (int i = 0; i < e; i++) out[t][i] = x[t][i] + proj[i] + down[i];
        }
        return out;
    }

    private double[][] llamaLayer(int l, double[][] x) {
        String p = "model.layers." + l + ".";
        int n = x.length, e = s.embeddingLength(), hd = s.headDim(), heads = s.headCount(), kvHeads = s.headCountKv();
        double[][][] q = new double[n][heads][], k = new double[n][kvHeads][], v = new double[n][kvHeads][];
        for (int t = 0; t < n; t++) {
            double[] in = rmsNorm(x[t], p + "input_layernorm.weight");
            double[] qa = matvec(p + "self_attn.q_proj.weight", in, heads * hd);
            double[] ka = matvec(p + "self_attn.k_proj.weight", in, kvHeads * hd);
            double[] va = matvec(p + "self_attn.v_proj.weight", in, kvHeads * hd);
            for (int h = 0; h < heads; h++) rotateHalf(q[t][h] = slice(qa, h * hd, hd), t);
            for (int h = 0; h < kvHeads; h++) {
                rotateHalf(k[t][h] = slice(ka, h * hd, hd), t);
                v[t][h] = slice(va, h * hd, hd);
            }
        }
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] proj = matvec(p + "self_attn.o_proj.weight", attention(q, k, v, t, heads, kvHeads), e);
            double[] h = new double[e];
            for (int i = 0; i < e; i++) h[i] = x[t][i] + proj[i];
            double[] in = rmsNorm(h, p + "post_attention_layernorm.weight");
            double[] gate = matvec(p + "mlp.gate_proj.weight", in, s.feedForwardLength());
            double[] up = matvec(p + "mlp.up_proj.weight", in, s.feedForwardLength());
            for (int i = 0; i < gate.length; i++) gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
            double[] down = matvec(p + "mlp.down_proj.weight", gate, e);
            for (int i = 0; i < e; i++) h[i] += down[i];
            out[t] = h;
        }
        return out;
    }

    /** Causal attention of position t over 0..t; query head h reads key/value head h / (heads / kvHeads). */
    private double[] attention(double[][][] q, double[][][] k, double[][][] v, int t, int heads, int kvHeads) {
        int hd = s.headDim();
        double[] out = new double[heads * hd];
        for (int h = 0; h < heads; h++) {
            int g = h / (heads / kvHeads);
            double[] scores = new double[t + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= t; j++) {
                double dot = 0;
                for (int i = 0; i < hd; i++) dot += q[t][h][i] * k[j][g][i];
                scores[j] = dot / Math.sqrt(hd);
                max = Math.max(max, scores[j]);
            }
            double sum = 0;
            for (int j = 0; j <= t; j++) sum += scores[j] = Math.exp(scores[j] - max);
            for (int j = 0; j <= t; j++) for (int i = 0; i < hd; i++) out[h * hd + i] += scores[j] / sum * v[j][g][i];
        }
        return out;
    }

    /** transformers' apply_rotary_pos_emb: x·cos + rotate_half(x)·sin, frequencies base^(-2i/d) repeated over both halves. */
    private void rotateHalf(double[] x, int pos) {
        int half = x.length / 2;
        for (int i = 0; i < half; i++) {
            double theta = pos * Math.pow(s.ropeTheta(), -2.0 * i / x.length);
            double c = Math.cos(theta), sn = Math.sin(theta), a = x[i], b = x[i + half];
            x[i] = a * c - b * sn;
            x[i + half] = b * c + a * sn;
        }
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    private double[] layerNorm(double[] x, String prefix) {
        float[] g = w.get(prefix + ".weight"), b = w.get(prefix + ".bias");
        double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        for (double v : x) var += (v - mean) * (v - mean);
        var /= x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - mean) / Math.sqrt(var + s.normEps()) * g[i] + b[i];
        return out;
    }

    private double[] rmsNorm(double[] x, String name) {
        float[] g = w.get(name);
        double ms = 0;
        for (double v : x) ms += v * v;
        double scale = 1 / Math.sqrt(ms / x.length + s.normEps());
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] * scale * g[i];
        return out;
    }

    /** y = W·x for a PyTorch [rows, cols] weight. */
    private double[] matvec(String name, double[] x, int rows) {
        float[] m = w.get(name);
        if (m == null) throw new IllegalArgumentException("no tensor " + name);
        int cols = x.length;
        if (m.length != (long) rows * cols) throw new IllegalArgumentException(name + " is not " + rows + "x" + cols);
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += m[r * cols + c] * x[c];
            y[r] = sum;
        }
        return y;
    }

    private double[] row(String name, int r, int cols) {
        double[] out = new double[cols];
        float[] m = w.get(name);
        for (int c = 0; c < cols; c++) out[c] = m[r * cols + c];
        return out;
    }

    private static double[] slice(double[] a, int from, int n) {
        double[] out = new double[n];
        System.arraycopy(a, from, out, 0, n);
        return out;
    }
}
