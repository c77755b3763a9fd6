package ai.peregrine.server.tgi;

import ai.peregrine.engine.generate.GenerationResult;
import ai.peregrine.server.inference.JobTimes;
import io.helidon.webserver.http.ServerResponse;

/** The headers TGI's /generate sets: compute type, timings (x-compute-time in s, the others in ms), token counts. */
public final class TimingHeaders {
    public static final String COMPUTE_TYPE = System.getenv().getOrDefault("COMPUTE_TYPE", "cpu");

    private TimingHeaders() {}

    public static void set(ServerResponse res, String inputs, GenerationResult r, JobTimes t) {
        long inferenceMs = (long) (t.inferenceSeconds() * 1000);
        res.header("x-compute-type", COMPUTE_TYPE);
        res.header("x-compute-time", Double.toString(t.totalSeconds()));
        res.header("x-compute-characters", Long.toString(inputs.codePointCount(0, inputs.length())));
        res.header("x-total-time", Long.toString((long) (t.totalSeconds() * 1000)));
        res.header("x-validation-time", Long.toString((long) (t.validationSeconds() * 1000)));
        res.header("x-queue-time", Long.toString((long) (t.queueSeconds() * 1000)));
        res.header("x-inference-time", Long.toString(inferenceMs));
        res.header("x-time-per-token", Long.toString(inferenceMs / Math.max(1, r.generatedTokens())));
        res.header("x-prompt-tokens", Integer.toString(r.promptTokens()));
        res.header("x-generated-tokens", Integer.toString(r.generatedTokens()));
    }

    /** What the streaming route can send before the first token. */
    public static void setStreaming(ServerResponse res, String inputs) {
        res.header("x-compute-type", COMPUTE_TYPE);
        res.header("x-compute-characters", Long.toString(inputs.codePointCount(0, inputs.length())));
    }
}
