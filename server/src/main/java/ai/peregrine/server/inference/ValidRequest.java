package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.GenerationRequest;

/**
 * A request that passed validation: the engine request and its prompt ids after tokenization and truncation.
 * {@code receivedNanos} and {@code validatedNanos} feed TGI's timing headers and metrics.
 */
public record ValidRequest(GenerationRequest request, int[] promptIds, long receivedNanos, long validatedNanos) {}
