package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.Cancellation;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One request handed to the scheduler. The scheduler thread publishes {@link JobEvent}s; the HTTP thread
 * takes them (so a slow client never blocks the batch) and cancels the job when its client goes away.
 */
public final class InferenceJob {
    private final ValidRequest request;
    private final AdmissionPermit permit;
    private final Cancellation cancellation = new Cancellation();
    private final LinkedBlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
    private volatile int generatedTokens;

    InferenceJob(ValidRequest request, AdmissionPermit permit) {
        this.request = request;
        this.permit = permit;
    }

    public ValidRequest request() {
        return request;
    }

    /** Asks the scheduler to drop this sequence at its next step; its session goes back to the pool. */
    public void cancel() {
        cancellation.cancel();
    }

    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    /** Tokens generated so far (read by tests and logs; written by the scheduler thread). */
    public int generatedTokens() {
        return generatedTokens;
    }

    /** The next event, waiting at most {@code timeoutMillis}; null on timeout. */
    public JobEvent poll(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Blocks until the job ends; skips token events. */
    public JobEvent awaitEnd() throws InterruptedException {
        while (true) {
            JobEvent e = events.take();
            if (!(e instanceof JobEvent.Token)) return e;
        }
    }

    void emitToken(JobEvent.Token token) {
        generatedTokens++;
        events.add(token);
    }

    /** Ends the job: frees its admission permit first, so a client that reads the end can submit again at once. */
    void finish(JobEvent end) {
        permit.close();
        events.add(end);
    }
}
