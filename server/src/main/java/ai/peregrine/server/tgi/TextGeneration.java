package ai.peregrine.server.tgi;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.engine.generate.TokenInfo;
import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.inference.AdmissionPermit;
import ai.peregrine.server.inference.InferenceJob;
import ai.peregrine.server.inference.InferenceScheduler;
import ai.peregrine.server.inference.JobEvent;
import ai.peregrine.server.inference.OverloadedException;
import ai.peregrine.server.inference.ValidRequest;
import ai.peregrine.server.metrics.TgiMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The path every generating route shares, in TGI's order: admission (429 before anything else), validation,
 * queueing on the scheduler; then waiting for the end (424 when generation fails) and TGI's best_of.
 */
public final class TextGeneration {
    /** A finished generation: the chosen result, its timeline, and the other best_of candidates. */
    public record Completed(GenerationResult result, ai.peregrine.server.inference.JobTimes times,
                            List<GenerationResult> others) {}

    private final RequestValidator validator;
    private final InferenceScheduler scheduler;
    private final TgiMetrics metrics;

    public TextGeneration(RequestValidator validator, InferenceScheduler scheduler, TgiMetrics metrics) {
        this.validator = validator;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    public RequestValidator validator() {
        return validator;
    }

    public TgiMetrics metrics() {
        return metrics;
    }

    public InferenceScheduler scheduler() {
        return scheduler;
    }

    /** Admits, validates and queues one request. */
    public InferenceJob start(String inputs, GenerateParameters p, long receivedNanos) {
        AdmissionPermit permit;
        try {
            permit = scheduler.tryAdmit();
        } catch (OverloadedException e) {
            throw ApiError.overloaded();
        }
        try {
            ValidRequest valid = validator.validate(inputs, p, receivedNanos);
            metrics.validated(valid.promptIds().length, valid.request().maxNewTokens());
            return scheduler.submit(permit, valid);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** Runs a request to its end; best_of > 1 runs that many sampled candidates and keeps the most likely. */
    public Completed generate(String inputs, GenerateParameters p, long receivedNanos) {
        int bestOf = p.bestOf() != null && p.bestOf() > 1 ? validator.checkBestOf(p.bestOf()) : 1;
        List<InferenceJob> jobs = new ArrayList<>(bestOf);
        try {
            for (int i = 0; i < bestOf; i++) jobs.add(start(inputs, p, receivedNanos));
            List<JobEvent.Done> done = new ArrayList<>(bestOf);
            for (InferenceJob job : jobs) done.add(await(job));
            // TGI keeps the candidate with the highest mean token logprob.
            JobEvent.Done best = done.stream().max(Comparator.comparingDouble(d -> meanLogprob(d.result()))).orElseThrow();
            List<GenerationResult> others = done.stream().filter(d -> d != best).map(JobEvent.Done::result).toList();
            return new Completed(best.result(), best.times(), others);
        } catch (RuntimeException e) {
            jobs.forEach(InferenceJob::cancel);
            throw e;
        }
    }

    /** Waits for a job's end: its result, or 424 when it failed. */
    public static JobEvent.Done await(InferenceJob job) {
        JobEvent end;
        try {
            end = job.awaitEnd();
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw ApiError.generation("interrupted");
        }
        if (end instanceof JobEvent.Done d) return d;
        throw failure(((JobEvent.Failed) end).cause());
    }

    public static ApiError failure(Throwable cause) {
        if (cause instanceof ApiError a) return a;
        if (cause instanceof CancellationException) return new ApiError(500, "Incomplete generation", "incomplete_generation", "incomplete");
        return ApiError.generation(String.valueOf(cause.getMessage()));
    }

    private static double meanLogprob(GenerationResult r) {
        return r.tokens().stream().mapToDouble(TokenInfo::logprob).average().orElse(Double.NEGATIVE_INFINITY);
    }
}
