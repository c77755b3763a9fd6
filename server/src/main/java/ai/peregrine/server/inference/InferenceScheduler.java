package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.PrefillLogprobs;
import ai.peregrine.engine.generate.GenerationSequence;
import ai.peregrine.engine.generate.TokenInfo;
import ai.peregrine.engine.model.LanguageModel;
import ai.peregrine.engine.model.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the model and runs every admitted request with continuous batching at the step level: between decode
 * steps, waiting requests are prefilled into free sessions and join the batch; finished or cancelled ones
 * leave it and give their session back. Sessions are made once, at start, and reused: no per-request KV
 * cache allocation. One thread drives the model, so the engine's worker pool serves one forward at a time.
 *
 * <p>Admission is a non-blocking semaphore of MAX_CONCURRENT_REQUESTS permits, taken before validation as in
 * TGI; a request past it is refused at once ({@link OverloadedException}) rather than queued without bound.
 */
public final class InferenceScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InferenceScheduler.class.getName());

    private final LanguageModel model;
    private final Semaphore admission;
    private final int maxBatchPrefillTokens;
    private final DecodeStep decodeStep;
    private final LinkedBlockingQueue<InferenceJob> waiting = new LinkedBlockingQueue<>();
    private final ArrayDeque<Session> freeSessions = new ArrayDeque<>();
    private final List<Session> allSessions = new ArrayList<>();
    private final List<ActiveSequence> active = new ArrayList<>();
    private final Thread loop;
    private volatile boolean running = true;
    private volatile int batchSize;

    /**
     * @param slots               sessions (KV caches) made up front: the most sequences decoded together
     * @param sessionContext      positions in each session's KV cache (MAX_TOTAL_TOKENS)
     * @param maxBatchPrefillTokens prompt tokens prefilled between two decode steps (at least one request)
     */
    public InferenceScheduler(LanguageModel model, int maxConcurrentRequests, int slots, int sessionContext,
                              int maxBatchPrefillTokens, DecodeStep decodeStep) {
        if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        this.model = model;
        this.admission = new Semaphore(maxConcurrentRequests);
        this.maxBatchPrefillTokens = maxBatchPrefillTokens;
        this.decodeStep = decodeStep;
        for (int i = 0; i < slots; i++) {
            Session s = model.newSession(sessionContext);
            allSessions.add(s);
            freeSessions.add(s);
        }
        this.loop = Thread.ofPlatform().name("peregrine-scheduler").daemon().unstarted(this::run);
        loop.start();
    }

    /** @throws OverloadedException when MAX_CONCURRENT_REQUESTS requests are in flight */
    public AdmissionPermit tryAdmit() {
        if (!admission.tryAcquire()) throw new OverloadedException();
        return new AdmissionPermit(admission);
    }

    /** Queues a validated request; the permit is released when the job ends. */
    public InferenceJob submit(AdmissionPermit permit, ValidRequest request) {
        InferenceJob job = new InferenceJob(request, permit);
        if (!running) {
            job.finish(new JobEvent.Failed(new IllegalStateException("the server is shutting down")));
            return job;
        }
        waiting.add(job);
        return job;
    }

    /** Requests admitted and waiting for a session (TGI's tgi_queue_size). */
    public int queueSize() {
        return waiting.size();
    }

    /** Sequences in the running batch (TGI's tgi_batch_current_size). */
    public int batchSize() {
        return batchSize;
    }

    public boolean isRunning() {
        return running && loop.isAlive();
    }

    public int slots() {
        return allSessions.size();
    }

    public int sessionContext() {
        return allSessions.getFirst().contextLength();
    }

    private void run() {
        while (running) {
            try {
                if (active.isEmpty()) {
                    InferenceJob first = waiting.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    admitWaiting(first);
                } else {
                    admitWaiting(null);
                }
                dropCancelled();
                batchSize = active.size();
                if (active.isEmpty()) continue;
                decode();
            } catch (InterruptedException e) {
                break;
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "scheduler step failed; failing the running batch", t);
                for (ActiveSequence a : active) release(a, new JobEvent.Failed(t));
                active.clear();
            }
        }
        batchSize = 0;
    }

    /** Prefills waiting jobs into free sessions, up to the prefill token budget (always at least one). */
    private void admitWaiting(InferenceJob first) {
        int prefilled = 0;
        InferenceJob job = first;
        while (!freeSessions.isEmpty()) {
            if (job == null) {
                InferenceJob next = waiting.peek();
                if (next == null) break;
                if (prefilled > 0 && prefilled + next.request().promptIds().length > maxBatchPrefillTokens) break;
                job = waiting.poll();
            }
            if (job.isCancelled()) {
                job.finish(new JobEvent.Failed(new CancellationException("generation cancelled")));
            } else {
                prefilled += job.request().promptIds().length;
                prefill(job, freeSessions.poll());
            }
            job = null;
        }
        if (job != null) waiting.add(job); // no free session: cannot happen while active is empty, kept for safety
    }

    private void prefill(InferenceJob job, Session session) {
        long started = System.nanoTime();
        ActiveSequence a = null;
        try {
            ValidRequest r = job.request();
            int[] prompt = r.promptIds();
            session.truncate(0);
            List<TokenInfo> prefillTokens = List.of();
            if (r.request().decoderInputDetails()) {
                prefillTokens = PrefillLogprobs.prefill(session, prompt, model.tokenizer());
            } else {
                session.forward(prompt, 0, prompt.length, null);
            }
            GenerationSequence sequence = new GenerationSequence(model.tokenizer(), r.request(), prompt,
                    session.vocabSize());
            a = new ActiveSequence(job, session, sequence, prefillTokens, started);
            boolean done = a.step();
            a.prefillEnd = System.nanoTime();
            if (done) release(a, a.result(a.prefillEnd));
            else active.add(a);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "prefill failed", e);
            freeSessions.add(session);
            job.finish(new JobEvent.Failed(e));
        }
    }

    private void dropCancelled() {
        for (Iterator<ActiveSequence> it = active.iterator(); it.hasNext(); ) {
            ActiveSequence a = it.next();
            if (a.job.isCancelled()) {
                it.remove();
                release(a, new JobEvent.Failed(new CancellationException("generation cancelled")));
            }
        }
    }

    private void decode() {
        decodeStep.forward(active);
        for (Iterator<ActiveSequence> it = active.iterator(); it.hasNext(); ) {
            ActiveSequence a = it.next();
            if (a.step()) {
                it.remove();
                release(a, a.result(System.nanoTime()));
            }
        }
        batchSize = active.size();
    }

    private void release(ActiveSequence a, JobEvent end) {
        freeSessions.add(a.session);
        a.job.finish(end);
    }

    /** Stops the loop after its current step, fails what is still queued or running, frees the sessions. */
    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException stopped = new IllegalStateException("the server is shutting down");
        for (ActiveSequence a : active) a.job.finish(new JobEvent.Failed(stopped));
        active.clear();
        for (InferenceJob j; (j = waiting.poll()) != null; ) j.finish(new JobEvent.Failed(stopped));
        allSessions.forEach(Session::close);
    }
}
