package ai.peregrine.server.inference;

/**
 * TGI's request timeline, in System.nanoTime(): received (HTTP handler start), queued (validation done),
 * started (the scheduler began its prefill) and finished (last token chosen).
 */
public record JobTimes(long received, long queued, long started, long finished) {
    public double validationSeconds() {
        return (queued - received) / 1e9;
    }

    public double queueSeconds() {
        return (started - queued) / 1e9;
    }

    public double inferenceSeconds() {
        return (finished - started) / 1e9;
    }

    public double totalSeconds() {
        return (finished - received) / 1e9;
    }
}
