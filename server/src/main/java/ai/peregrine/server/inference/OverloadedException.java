package ai.peregrine.server.inference;

/** Admission refused: MAX_CONCURRENT_REQUESTS requests are already in flight (TGI answers 429). */
public final class OverloadedException extends RuntimeException {
    public OverloadedException() {
        super("Model is overloaded", null, false, false);
    }
}
