package ai.peregrine.engine.generate;

import ai.peregrine.engine.sampling.TokenChooser;
import ai.peregrine.engine.sampling.TokenHistory;
import ai.peregrine.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-sequence decode state, independent of how logits are produced: give it each logits row after the
 * sequence's last token and it chooses, decodes and checks stopping. A batching scheduler drives one per sequence.
 * Not thread-safe.
 */
public final class GenerationSequence {
    /** The result of one step; {@code finishReason} is null while generation continues. */
    public record Step(TokenInfo token, String textDelta, FinishReason finishReason) {}

    private final Tokenizer tokenizer;
    private final TokenChooser chooser;
    private final TokenHistory history;
    private final StopCriteria stop;
    private final Tokenizer.StreamingDecoder tokenText;
    private final Tokenizer.StreamingDecoder outputText;
    private final int topN;
    private final int[] topIds;
    private final float[] topLogprobs;
    private final List<TokenInfo> tokens = new ArrayList<>();
    private final StringBuilder generatedText = new StringBuilder();
    private FinishReason finishReason;
    private int lastToken = -1;

    public GenerationSequence(Tokenizer tokenizer, GenerationRequest request, int[] promptIds, int vocabSize) {
        this.tokenizer = tokenizer;
        this.chooser = new TokenChooser(request.sampling(), vocabSize);
        this.history = new TokenHistory(vocabSize);
        history.addAll(promptIds, 0, promptIds.length);
        this.stop = new StopCriteria(request.maxNewTokens(), tokenizer, request.stop());
        // TGI: token texts keep specials (and stop strings match them); generated_text skips them.
        this.tokenText = tokenizer.newStreamingDecoder(false);
        this.outputText = tokenizer.newStreamingDecoder(true);
        this.topN = request.topNTokens();
        this.topIds = new int[topN];
        this.topLogprobs = new float[topN];
    }

    /** Chooses the next token from the logits after the last token of the sequence. */
    public Step step(float[] logits) {
        if (finishReason != null) throw new IllegalStateException("sequence already finished: " + finishReason);
        int id = chooser.choose(logits, history);
        history.add(id);
        lastToken = id;
        String text = tokenText.push(id);
        String delta = outputText.push(id);
        finishReason = stop.onToken(id, text);
        if (finishReason != null) {
            text += tokenText.flush();
            delta += outputText.flush();
        }
        TokenInfo token = new TokenInfo(id, text, chooser.lastLogprob(), tokenizer.isSpecial(id), topTokens());
        tokens.add(token);
        generatedText.append(delta);
        return new Step(token, delta, finishReason);
    }

    private List<TokenInfo> topTokens() {
        if (topN == 0) return List.of();
        int n = chooser.topTokens(topN, topIds, topLogprobs);
        List<TokenInfo> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int id = topIds[r];
            out.add(new TokenInfo(id, tokenizer.decode(new int[] {id}, false), topLogprobs[r], tokenizer.isSpecial(id)));
        }
        return out;
    }

    public boolean isFinished() {
        return finishReason != null;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    public int lastToken() {
        return lastToken;
    }

    public String generatedText() {
        return generatedText.toString();
    }

    public List<TokenInfo> tokens() {
        return tokens;
    }

    public Long seed() {
        return chooser.seed();
    }
}
