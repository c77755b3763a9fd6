package ai.peregrine.server.metrics;

import ai.peregrine.server.inference.InferenceScheduler;
import ai.peregrine.server.inference.JobTimes;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * TGI's Prometheus metrics under TGI's names (docs/source/reference/metrics.md). Durations are recorded in
 * seconds as histograms. Counters are written by hand: the Prometheus client would rename them
 * {@code *_total}, while TGI's exporter keeps the bare names ({@code tgi_request_count 3}).
 *
 * <p>Beside them, the JVM's own under Micrometer's names: GC pauses ({@code jvm_gc_pause_seconds}, by collector and
 * cause), allocation ({@code jvm_gc_memory_allocated_bytes_total}), heap and off-heap pools, threads, CPU and uptime —
 * what an operator checks when latency spikes on a JVM server. Closing stops listening for GC notifications.
 */
public final class TgiMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LongAdder requestCount = new LongAdder();
    private final LongAdder requestSuccess = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final DistributionSummary duration = seconds("tgi_request_duration");
    private final DistributionSummary validationDuration = seconds("tgi_request_validation_duration");
    private final DistributionSummary queueDuration = seconds("tgi_request_queue_duration");
    private final DistributionSummary inferenceDuration = seconds("tgi_request_inference_duration");
    private final DistributionSummary timePerToken = seconds("tgi_request_mean_time_per_token_duration");
    private final DistributionSummary inputLength = histogram("tgi_request_input_length");
    private final DistributionSummary generatedTokens = histogram("tgi_request_generated_tokens");
    private final DistributionSummary maxNewTokens = histogram("tgi_request_max_new_tokens");
    private final DistributionSummary nextBatchSize = histogram("tgi_batch_next_size");

    private final JvmGcMetrics gc = new JvmGcMetrics();

    public TgiMetrics(InferenceScheduler scheduler) {
        gc.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("tgi_queue_size", scheduler, InferenceScheduler::queueSize).register(registry);
        Gauge.builder("tgi_batch_current_size", scheduler, InferenceScheduler::batchSize).register(registry);
        Gauge.builder("tgi_batch_current_max_tokens", scheduler, s -> (double) s.slots() * s.sessionContext())
                .register(registry);
        scheduler.onPrefillBatch(nextBatchSize::record);
    }

    /** Buckets 1 ms .. ~524 s, doubling, like TGI's duration buckets. */
    private DistributionSummary seconds(String name) {
        double[] buckets = new double[20];
        for (int i = 0; i < buckets.length; i++) buckets[i] = 0.001 * Math.pow(2, i);
        return DistributionSummary.builder(name).serviceLevelObjectives(buckets).register(registry);
    }

    private DistributionSummary histogram(String name) {
        return DistributionSummary.builder(name).publishPercentileHistogram().register(registry);
    }

    public void requestReceived() {
        requestCount.increment();
    }

    /** {@code err}: validation, overloaded, generation, incomplete, cancelled, ... as TGI labels them. */
    public void requestFailed(String err) {
        failures.computeIfAbsent(err, k -> new LongAdder()).increment();
    }

    public void validated(int promptTokens, int maxNew) {
        inputLength.record(promptTokens);
        maxNewTokens.record(maxNew);
    }

    public void requestSucceeded(JobTimes times, int generated) {
        requestSuccess.increment();
        duration.record(times.totalSeconds());
        validationDuration.record(times.validationSeconds());
        queueDuration.record(times.queueSeconds());
        inferenceDuration.record(times.inferenceSeconds());
        timePerToken.record(times.inferenceSeconds() / Math.max(1, generated));
        generatedTokens.record(generated);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        StringBuilder out = new StringBuilder();
        counter(out, "tgi_request_count", requestCount.sum());
        counter(out, "tgi_request_success", requestSuccess.sum());
        out.append("# TYPE tgi_request_failure counter\n");
        new TreeMap<>(failures).forEach((err, n) ->
                out.append("tgi_request_failure{err=\"").append(err).append("\"} ").append(n.sum()).append('\n'));
        return out.append(registry.scrape()).toString();
    }

    @Override
    public void close() {
        gc.close();
    }

    private static void counter(StringBuilder out, String name, long value) {
        out.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
