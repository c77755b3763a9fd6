package ai.peregrine.engine.convert;

/** Hears how far a long conversion or quantization is; the CLI draws a progress bar from it. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (task, done, total) -> {};

    /** {@code done} of {@code total} weights of {@code task} are finished. Calls come one at a time, {@code done} never decreasing. */
    void progress(String task, long done, long total);

    /** Something the user should know about how loading goes (a cache used or not, and why); one line, no newline. */
    default void note(String message) {}
}
