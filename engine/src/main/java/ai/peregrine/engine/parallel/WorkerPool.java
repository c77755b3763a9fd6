package ai.peregrine.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool for the fork-join loops of a forward pass. Handing work to an executor costs 50-100 µs
 * here, more than a small mat-vec takes, so workers spin briefly on a volatile job counter before they
 * park, and the calling thread does a share of the work itself. One job runs at a time: callers
 * ({@link #parallelFor}) are serialized, which is what a single-sequence forward pass wants; batched
 * serving drives one forward pass over all sequences rather than many in parallel.
 */
public final class WorkerPool implements AutoCloseable {
    private static final long SPIN_NANOS = 200_000; // spin ~0.2 ms for the next job before parking

    private final int threads;
    private final Thread[] workers;
    /**
     * (job sequence << 32) | (chunk count << 16) | next unclaimed chunk. Claims are compare-and-set on this one
     * word, so a thread late from an earlier job can neither claim a chunk of the next one nor judge a claim
     * against another job's chunk count.
     */
    private final AtomicLong next = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long jobSeq;
    private volatile boolean closed;
    private volatile Throwable failure;

    private RangeTask task;
    private int size;
    private int chunk;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Worker(this, i + 1);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool thread, numbered from 1; the thread calling {@link #parallelFor} counts as 0. */
    private static final class Worker extends Thread {
        final int index;

        Worker(WorkerPool pool, int index) {
            super(pool::workerLoop, "peregrine-worker-" + index);
            this.index = index;
        }
    }

    /**
     * Index in [0, threads) of the thread running the current chunk, so tasks can keep per-thread scratch
     * space without allocating: 0 for the calling thread.
     */
    public static int workerIndex() {
        return Thread.currentThread() instanceof Worker w ? w.index : 0;
    }

    /** Threads doing work, counting the caller. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, size) split into chunks of at least {@code grain} indices, and
     * returns when all are done. Runs inline when the range is too small to be worth splitting.
     */
    public synchronized void parallelFor(int size, int grain, RangeTask task) {
        if (size <= 0) return;
        int maxChunks = Math.max(1, size / Math.max(1, grain));
        int n = Math.min(maxChunks, threads * 4); // < 2^16, as the claim word needs
        if (threads == 1 || n == 1) {
            task.run(0, size);
            return;
        }
        this.task = task;
        this.size = size;
        this.chunk = (size + n - 1) / n;
        pending.set(n);
        failure = null;
        long seq = jobSeq + 1;
        next.set(seq << 32 | (long) n << 16); // publishes the fields above to any thread that claims a chunk
        jobSeq = seq;
        for (Thread w : workers) LockSupport.unpark(w);
        drain(seq);
        while (pending.get() > 0) {
            Thread.onSpinWait();
        }
        this.task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            throw new IllegalStateException(f);
        }
    }

    private void drain(long seq) {
        while (true) {
            long v = next.get();
            if ((v >>> 32) != seq) return; // a later job: this thread is late for its own
            int c = (int) (v & 0xFFFF);
            if (c >= (int) ((v >>> 16) & 0xFFFF)) return;
            if (!next.compareAndSet(v, v + 1)) continue;
            int start = c * chunk;
            int end = Math.min(size, start + chunk);
            try {
                if (start < end) task.run(start, end);
            } catch (Throwable t) {
                if (failure == null) failure = t;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (!closed) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            long seq;
            while ((seq = jobSeq) == seen && !closed) {
                if (System.nanoTime() > deadline) {
                    LockSupport.park(this);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (closed) return;
            seen = seq;
            drain(seq);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
