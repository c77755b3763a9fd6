package ai.peregrine.server.inference;

import ai.peregrine.engine.generate.GenerationSequence;
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
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the model and runs every admitted request with continuous batching at the step level: waiting requests
 * take a free session and are prefilled a chunk at a time between decode steps (so a long prompt does not stall
 * the running streams), then join the batch; finished or cancelled ones leave it and give their session back. Sessions are made once, at start, and reused: no per-request KV
 * cache allocation. One thread drives the model, so the engine's worker pool serves one forward at a time.
 *
 * <p>Admission is a non-blocking semaphore of MAX_CONCURRENT_REQUESTS permits, taken before validation as in
 * TGI; a request past it is refused at once ({@link OverloadedException}) rather than queued without bound.
 */
public final class InferenceScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InferenceScheduler.class.getName());
    /** Prompt tokens per prefill chunk: the engine's own prefill chunk, so one chunk is one pass over the weights. */
    public static final int PREFILL_CHUNK = 64;

    private final LanguageModel model;
    private final Semaphore admission;
    private final int maxBatchPrefillTokens;
    private final DecodeStep decodeStep;
    private final LinkedBlockingQueue<InferenceJob> waiting = new LinkedBlockingQueue<>();
    private final ArrayDeque<Session> freeSessions = new ArrayDeque<>();
    private final List<Session> allSessions = new ArrayList<>();
    private final ArrayDeque<PromptPrefill> prefilling = new ArrayDeque<>();
    private final List<ActiveSequence> active = new ArrayList<>();
    /** The prompts of one shared prefill pass and their chunks, reused every step. */
    private final PromptPrefill[] group;
    private final Session[] groupSessions;
    private final int[][] groupPrompts;
    private final int[] groupOffsets;
    private final int[] groupLengths;
    private final Thread loop;
    private volatile IntConsumer prefillBatches = n -> {};
    private volatile boolean running = true;
    private volatile int batchSize;
    private volatile int prefillingCount;

    /**
     * @param slots               sessions (KV caches) made up front: the most sequences decoded together
     * @param sessionContext      positions in each session's KV cache (MAX_TOTAL_TOKENS)
     * @param maxBatchPrefillTokens prompt tokens prefilled in one step while nothing is decoding; while sequences
     *                              decode, one {@link PromptPrefill#CHUNK} goes between two decode steps
     */
    public InferenceScheduler(LanguageModel model, int maxConcurrentRequests, int slots, int sessionContext,
                              int maxBatchPrefillTokens, DecodeStep decodeStep) {
        if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        this.model = model;
        this.admission = new Semaphore(maxConcurrentRequests);
        this.maxBatchPrefillTokens = maxBatchPrefillTokens;
        this.decodeStep = decodeStep;
        this.group = new PromptPrefill[slots];
        this.groupSessions = new Session[slots];
        this.groupPrompts = new int[slots][];
        this.groupOffsets = new int[slots];
        this.groupLengths = new int[slots];
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

    /** Requests admitted and not yet generating: waiting for a session or being prefilled (TGI's tgi_queue_size). */
    public int queueSize() {
        return waiting.size() + prefillingCount;
    }

    /** Sequences in the running batch (TGI's tgi_batch_current_size). */
    public int batchSize() {
        return batchSize;
    }

    /** Hears the number of prompts in each prefill pass (TGI's tgi_batch_next_size), on the scheduler thread. */
    public void onPrefillBatch(IntConsumer listener) {
        prefillBatches = listener;
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
                if (active.isEmpty() && prefilling.isEmpty()) {
                    InferenceJob first = waiting.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    assign(first);
                }
                assignWaiting();
                dropCancelled();
                prefillStep();
                batchSize = active.size();
                if (!active.isEmpty()) decode();
            } catch (InterruptedException e) {
                break;
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "scheduler step failed; failing the running batch", t);
                for (ActiveSequence a : active) release(a.session, a.job, new JobEvent.Failed(t));
                active.clear();
                for (PromptPrefill p : prefilling) release(p.session, p.job, new JobEvent.Failed(t));
                prefilling.clear();
            }
            prefillingCount = prefilling.size();
        }
        batchSize = 0;
    }

    /** Gives waiting jobs the free sessions, in arrival order. */
    private void assignWaiting() {
        while (!freeSessions.isEmpty()) {
            InferenceJob next = waiting.poll();
            if (next == null) return;
            assign(next);
        }
    }

    private void assign(InferenceJob job) {
        if (job.isCancelled()) {
            job.finish(new JobEvent.Failed(new CancellationException("generation cancelled")));
            return;
        }
        prefilling.add(new PromptPrefill(job, freeSessions.poll(), model.tokenizer()));
    }

    /**
     * Prefills whole chunks, oldest prompt first, up to the step's token budget (always at least one chunk); a
     * prompt that completes chooses its first token and joins the running batch. The next chunks of several waiting
     * prompts go through one pass over the weights while they fit in {@link #PREFILL_CHUNK} tokens
     * ({@link LanguageModel#forwardTogether}: each gets the bits it gets alone), so a burst of short prompts costs
     * about one prompt's pass instead of one each.
     */
    private void prefillStep() {
        int budget = active.isEmpty() ? maxBatchPrefillTokens : PromptPrefill.CHUNK;
        int used = 0;
        while (!prefilling.isEmpty()) {
            int count = 0, tokens = 0;
            for (PromptPrefill p : prefilling) {
                int n = p.nextChunk();
                if (used + tokens > 0 && used + tokens + n > budget) break;
                if (count > 0 && (p.wholePrompt() || group[0].wholePrompt() || tokens + n > PREFILL_CHUNK)) break;
                group[count++] = p;
                tokens += n;
            }
            if (count == 0) return;
            used += tokens;
            prefillBatches.accept(count);
            try {
                if (count == 1) {
                    if (group[0].forwardChunk()) complete(group[0]);
                } else {
                    for (int i = 0; i < count; i++) {
                        groupSessions[i] = group[i].session;
                        groupPrompts[i] = group[i].prompt();
                        groupOffsets[i] = group[i].offset();
                        groupLengths[i] = group[i].nextChunk();
                    }
                    model.forwardTogether(groupSessions, groupPrompts, groupOffsets, groupLengths, count);
                    for (int i = 0; i < count; i++) {
                        if (group[i].chunkForwarded()) complete(group[i]);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "prefill failed", e);
                for (int i = 0; i < count; i++) {
                    if (prefilling.remove(group[i])) release(group[i].session, group[i].job, new JobEvent.Failed(e));
                }
            } finally {
                java.util.Arrays.fill(group, 0, count, null);
                java.util.Arrays.fill(groupSessions, 0, count, null);
                java.util.Arrays.fill(groupPrompts, 0, count, null);
            }
        }
    }

    /** Starts a prefilled prompt's generation; it leaves the prefill queue only once started, so a failure there releases it. */
    private void complete(PromptPrefill p) {
        start(p);
        prefilling.remove(p);
    }

    private void start(PromptPrefill p) {
        ValidRequest r = p.job.request();
        GenerationSequence sequence = new GenerationSequence(model.tokenizer(), r.request(), r.promptIds(),
                p.session.vocabSize());
        ActiveSequence a = new ActiveSequence(p.job, p.session, sequence, p.promptTokens(), p.started);
        boolean done = a.step();
        a.prefillEnd = System.nanoTime();
        if (done) release(a.session, a.job, a.result(a.prefillEnd));
        else active.add(a);
    }

    private void dropCancelled() {
        for (Iterator<ActiveSequence> it = active.iterator(); it.hasNext(); ) {
            ActiveSequence a = it.next();
            if (a.job.isCancelled()) {
                it.remove();
                release(a.session, a.job, new JobEvent.Failed(new CancellationException("generation cancelled")));
            }
        }
        for (Iterator<PromptPrefill> it = prefilling.iterator(); it.hasNext(); ) {
            PromptPrefill p = it.next();
            if (p.job.isCancelled()) {
                it.remove();
                release(p.session, p.job, new JobEvent.Failed(new CancellationException("generation cancelled")));
            }
        }
    }

    private void decode() {
        decodeStep.forward(active);
        for (Iterator<ActiveSequence> it = active.iterator(); it.hasNext(); ) {
            ActiveSequence a = it.next();
            if (a.step()) {
                it.remove();
                release(a.session, a.job, a.result(System.nanoTime()));
            }
        }
        batchSize = active.size();
    }

    private void release(Session session, InferenceJob job, JobEvent end) {
        freeSessions.add(session);
        job.finish(end);
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
        for (PromptPrefill p : prefilling) p.job.finish(new JobEvent.Failed(stopped));
        prefilling.clear();
        for (InferenceJob j; (j = waiting.poll()) != null; ) j.finish(new JobEvent.Failed(stopped));
        allSessions.forEach(Session::close);
    }
}
