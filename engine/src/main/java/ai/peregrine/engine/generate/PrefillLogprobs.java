package ai.peregrine.engine.generate;

import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.sampling.LogitsMath;
import ai.peregrine.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefill that also reports TGI's {@code prefill} tokens (decoder_input_details): the first has no logprob,
 * token i has log_softmax(logits after token i-1)[id_i]. Forwards in chunks to bound the logits buffer.
 */
public final class PrefillLogprobs {
    private static final int CHUNK = 32;

    private PrefillLogprobs() {}

    public static List<TokenInfo> prefill(Session session, int[] prompt, Tokenizer tokenizer) {
        int vocab = session.vocabSize();
        float[] logprobs = new float[prompt.length];
        logprobs[0] = Float.NaN;
        float[][] rows = new float[Math.min(CHUNK, prompt.length)][vocab];
        for (int off = 0; off < prompt.length; off += rows.length) {
            int len = Math.min(rows.length, prompt.length - off);
            session.forward(prompt, off, len, rows);
            for (int r = 0; r < len; r++) {
                int target = off + r + 1;
                if (target < prompt.length) {
                    logprobs[target] = (float) (rows[r][prompt[target]] - LogitsMath.logSumExp(rows[r], vocab));
                }
            }
        }
        List<TokenInfo> out = new ArrayList<>(prompt.length);
        for (int i = 0; i < prompt.length; i++) {
            int id = prompt[i];
            out.add(new TokenInfo(id, tokenizer.decode(new int[] {id}, false), logprobs[i], tokenizer.isSpecial(id)));
        }
        return out;
    }
}
