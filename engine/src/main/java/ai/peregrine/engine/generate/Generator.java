package ai.peregrine.engine.generate;

import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Runs one request on one {@link Session}: prompt preparation and checks, prefill, then decode token by token,
 * streaming each to a listener. Stateless apart from the tokenizer, so one instance serves many threads as long
 * as each thread brings its own session.
 */
public final class Generator {
    private final Tokenizer tokenizer;

    public Generator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @throws IllegalArgumentException         invalid request (TGI validation messages)
     * @throws ContextLengthExceededException    prompt + max_new_tokens beyond the session's context
     * @throws CancellationException             when {@code cancellation} was set before the next token
     */
    public GenerationResult generate(Session session, GenerationRequest request, GenerationListener listener,
                                     Cancellation cancellation) {
        request.sampling().validate();
        if (request.maxNewTokens() <= 0) throw new IllegalArgumentException("`max_new_tokens` must be strictly positive");
        int[] prompt = promptIds(request);
        for (int id : prompt) {
            if (id < 0 || id >= session.vocabSize()) {
                throw new IllegalArgumentException("prompt token id " + id + " is outside the vocabulary of "
                        + session.vocabSize());
            }
        }
        if (prompt.length + request.maxNewTokens() > session.contextLength()) {
            throw new ContextLengthExceededException(prompt.length, request.maxNewTokens(), session.contextLength());
        }
        checkCancelled(cancellation);

        long start = System.nanoTime();
        session.truncate(0);
        List<TokenInfo> prefill = request.decoderInputDetails() ? PrefillLogprobs.prefill(session, prompt, tokenizer) : List.of();
        if (!request.decoderInputDetails()) session.forward(prompt, 0, prompt.length, null);

        GenerationSequence sequence = new GenerationSequence(tokenizer, request, prompt, session.vocabSize());
        emit(listener, sequence.step(session.logits()));
        long prefillEnd = System.nanoTime();

        int[] next = new int[1];
        while (!sequence.isFinished()) {
            checkCancelled(cancellation);
            next[0] = sequence.lastToken();
            session.forward(next, 0, 1, null);
            emit(listener, sequence.step(session.logits()));
        }
        long end = System.nanoTime();

        int generated = sequence.tokens().size();
        String text = request.returnFullText() ? promptText(request) + sequence.generatedText() : sequence.generatedText();
        Timings timings = new Timings((prefillEnd - start) / 1e9, (end - prefillEnd) / 1e9, (end - start) / 1e9 / generated);
        return new GenerationResult(text, sequence.finishReason(), generated, sequence.seed(), prefill,
                sequence.tokens(), prompt.length, timings);
    }

    public GenerationResult generate(Session session, GenerationRequest request) {
        return generate(session, request, GenerationListener.NONE, Cancellation.NEVER);
    }

    /** The prompt ids after tokenization and TGI's left truncation. */
    public int[] promptIds(GenerationRequest request) {
        if (request.prompt() != null && request.prompt().isEmpty()) {
            throw new IllegalArgumentException("`inputs` cannot be empty");
        }
        int[] ids = request.promptTokens() != null
                ? request.promptTokens()
                : tokenizer.encode(request.prompt(), true, true);
        if (ids.length == 0) throw new IllegalArgumentException("`inputs` cannot be empty");
        if (request.truncate() > 0 && ids.length > request.truncate()) {
            ids = Arrays.copyOfRange(ids, ids.length - request.truncate(), ids.length);
        }
        return ids;
    }

    private String promptText(GenerationRequest request) {
        return request.prompt() != null ? request.prompt() : tokenizer.decode(request.promptTokens(), true);
    }

    private static void emit(GenerationListener listener, GenerationSequence.Step step) {
        listener.onToken(step.token(), step.textDelta());
    }

    private static void checkCancelled(Cancellation cancellation) {
        if (cancellation.isCancelled()) throw new CancellationException("generation cancelled");
    }
}
