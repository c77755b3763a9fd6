package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.TokenInfo;

/** What a job reports to the HTTP side, in order: tokens, then exactly one of Done or Failed. */
public sealed interface JobEvent {
    /** {@code last}: the sequence ended with this token; a Done event follows at once. */
    record Token(TokenInfo token, String textDelta, boolean last) implements JobEvent {}

    record Done(GenerationResult result, JobTimes times) implements JobEvent {}

    record Failed(Throwable cause) implements JobEvent {}
}
