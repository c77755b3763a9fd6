package ai.peregrine.engine.generate;

/** A flag the caller sets (e.g. when the client closes its stream); the generator checks it between tokens. */
public final class Cancellation {
    public static final Cancellation NEVER = new Cancellation();

    private volatile boolean cancelled;

    public void cancel() {
        if (this != NEVER) cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
