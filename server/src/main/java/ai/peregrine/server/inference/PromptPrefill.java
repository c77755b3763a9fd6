package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.PrefillLogprobs;
import ai.peregrine.engine.generate.TokenInfo;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.tokenizer.Tokenizer;
import java.util.List;

/**
 * A job whose prompt is being fed to its session a chunk at a time, between decode steps of the running batch.
 * Chunk boundaries are fixed multiples of {@link #CHUNK} from the start of the prompt, never moved by what
 * else is scheduled, so a prompt is computed the same way whether it runs alone or under load. A request for
 * {@code decoder_input_details} needs every prompt position's logits and is prefilled in one go.
 */
final class PromptPrefill {
    static final int CHUNK = InferenceScheduler.PREFILL_CHUNK;

    final InferenceJob job;
    final Session session;
    final long started;
    private final Tokenizer tokenizer;
    private final boolean wholePrompt;
    private int done;
    private List<TokenInfo> promptTokens = List.of();

    PromptPrefill(InferenceJob job, Session session, Tokenizer tokenizer) {
        this.job = job;
        this.session = session;
        this.tokenizer = tokenizer;
        this.wholePrompt = job.request().request().decoderInputDetails();
        this.started = System.nanoTime();
        session.truncate(0);
    }

    /** The prompt tokens with their logprobs when the request asked for them, else empty. */
    List<TokenInfo> promptTokens() {
        return promptTokens;
    }

    int remaining() {
        return job.request().promptIds().length - done;
    }

    /** Size of the next chunk. */
    int nextChunk() {
        return wholePrompt ? remaining() : Math.min(CHUNK, remaining());
    }

    /** Whether the prompt goes in one forward that returns every position's logits (decoder_input_details). */
    boolean wholePrompt() {
        return wholePrompt;
    }

    int[] prompt() {
        return job.request().promptIds();
    }

    /** Where the next chunk starts in {@link #prompt()}. */
    int offset() {
        return done;
    }

    /** Records that the next chunk was forwarded by someone else (a pass shared with other prompts); true when the prompt is done. */
    boolean chunkForwarded() {
        done += nextChunk();
        return done == prompt().length;
    }

    /** Forwards the next chunk; true when the whole prompt is in the session's cache. */
    boolean forwardChunk() {
        int[] prompt = job.request().promptIds();
        int n = nextChunk();
        if (wholePrompt) promptTokens = PrefillLogprobs.prefill(session, prompt, tokenizer);
        else session.forward(prompt, done, n, null);
        done += n;
        return done == prompt.length;
    }
}
