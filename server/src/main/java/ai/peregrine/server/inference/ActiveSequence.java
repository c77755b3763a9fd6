package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.GenerationSequence;
import ai.peregrine.engine.generate.Timings;
import ai.peregrine.engine.generate.TokenInfo;
import ai.peregrine.engine.model.Session;
import java.util.List;

/** A job that holds a session in the running batch, with its per-sequence decode state. */
final class ActiveSequence implements DecodeStep.Slot {
    final InferenceJob job;
    final Session session;
    final GenerationSequence sequence;
    final List<TokenInfo> prefill;
    final long started;
    long prefillEnd;

    ActiveSequence(InferenceJob job, Session session, GenerationSequence sequence, List<TokenInfo> prefill, long started) {
        this.job = job;
        this.session = session;
        this.sequence = sequence;
        this.prefill = prefill;
        this.started = started;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public int lastToken() {
        return sequence.lastToken();
    }

    /** Chooses the next token from the session's current logits and reports it; true when the sequence ended. */
    boolean step() {
        GenerationSequence.Step step = sequence.step(session.logits());
        job.emitToken(new JobEvent.Token(step.token(), step.textDelta(), step.finishReason() != null));
        return step.finishReason() != null;
    }

    JobEvent.Done result(long finished) {
        int generated = sequence.tokens().size();
        Timings timings = new Timings((prefillEnd - started) / 1e9, (finished - prefillEnd) / 1e9,
                (finished - started) / 1e9 / generated);
        ValidRequest r = job.request();
        GenerationResult result = new GenerationResult(sequence.generatedText(), sequence.finishReason(), generated,
                sequence.seed(), prefill, sequence.tokens(), r.promptIds().length, timings);
        return new JobEvent.Done(result, new JobTimes(r.receivedNanos(), r.validatedNanos(), started, finished));
    }
}
