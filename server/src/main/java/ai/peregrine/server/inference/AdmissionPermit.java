package ai.peregrine.server.inference;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/** One admitted request's place under MAX_CONCURRENT_REQUESTS; released exactly once. */
public final class AdmissionPermit implements AutoCloseable {
    private final Semaphore semaphore;
    private final AtomicBoolean released = new AtomicBoolean();

    AdmissionPermit(Semaphore semaphore) {
        this.semaphore = semaphore;
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) semaphore.release();
    }
}
