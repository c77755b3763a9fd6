package ai.peregrine.server;

import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.http.Guarded;
import ai.peregrine.server.http.HttpExchange;
import ai.peregrine.server.inference.DecodeStep;
import ai.peregrine.server.inference.InferenceScheduler;
import ai.peregrine.server.metrics.TgiMetrics;
import ai.peregrine.server.openai.ChatTemplate;
import ai.peregrine.server.openai.OpenAiRoutes;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import ai.peregrine.server.sagemaker.SageMakerRoutes;
import ai.peregrine.server.sagemaker.SageMakerRuntimeRoutes;
import ai.peregrine.server.tgi.RequestValidator;
import ai.peregrine.server.tgi.TextGeneration;
import ai.peregrine.server.tgi.TgiGenerateRoutes;
import ai.peregrine.server.tgi.TgiInfoRoutes;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The model endpoint: TGI's routes, SageMaker's container contract and OpenAI's API over one scheduler,
 * on Helidon SE's virtual-thread web server. Closing it stops accepting, lets in-flight requests finish
 * (up to the grace period), then stops the scheduler; the model stays open (the caller owns it).
 */
public final class PeregrineServer implements AutoCloseable {
    private static final Duration DRAIN = Duration.ofSeconds(25); // SageMaker sends SIGKILL 30 s after SIGTERM

    private final ServerConfig config;
    private final InferenceScheduler scheduler;
    private final TgiMetrics metrics;
    private final SageMakerRuntimeRoutes runtime;
    private final WebServer web;

    private PeregrineServer(ServerConfig config, InferenceScheduler scheduler, TgiMetrics metrics,
            SageMakerRuntimeRoutes runtime, WebServer web) {
        this.config = config;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.runtime = runtime;
        this.web = web;
    }

    /** Serves the SageMaker Runtime API for an endpoint named after the model. */
    public static PeregrineServer start(ServedModel served, ServerConfig config) {
        return start(served, config, SageMakerEndpoint.forModel(config.modelId()));
    }

    public static PeregrineServer start(ServedModel served, ServerConfig config, SageMakerEndpoint endpoint) {
        KvCacheBudget.check(served.model(), config);
        InferenceScheduler scheduler = new InferenceScheduler(served.model(), config.maxConcurrentRequests(),
                config.maxBatchSize(), config.maxTotalTokens(), config.maxBatchPrefillTokens(),
                DecodeStep.batched(served.model().newBatchDecoder(config.maxBatchSize())));
        SageMakerRuntimeRoutes runtime = null;
        TgiMetrics metrics = null;
        try {
            metrics = new TgiMetrics(scheduler);
            TextGeneration generation = new TextGeneration(
                    new RequestValidator(config, served.model().tokenizer()), scheduler, metrics);
            TgiGenerateRoutes tgi = new TgiGenerateRoutes(config, generation, true);
            TgiInfoRoutes info = new TgiInfoRoutes(config, served, scheduler, metrics);
            OpenAiRoutes openAi = new OpenAiRoutes(config, generation,
                    ChatTemplate.forModel(served.chatTemplate(), served.model().tokenizer()));
            SageMakerRoutes sagemaker = new SageMakerRoutes(config, tgi, openAi, metrics);
            runtime = new SageMakerRuntimeRoutes(endpoint);

            Consumer<String> failed = metrics::requestFailed;
            HttpRouting.Builder routing = HttpRouting.builder()
                    .post("/generate", g(failed, tgi::generate))
                    .post("/generate_stream", g(failed, tgi::generateStream))
                    .post("/", g(failed, tgi::compat))
                    .get("/", g(failed, info::health))
                    .get("/health", g(failed, info::health))
                    .get("/info", g(failed, info::info))
                    .get("/metrics", g(failed, info::metrics))
                    .post("/tokenize", g(failed, info::tokenize))
                    .get("/ping", sagemaker::ping)
                    .post("/invocations", g(failed, sagemaker::invocations))
                    .post("/v1/completions", g(failed, openAi::completions))
                    .post("/v1/chat/completions", g(failed, openAi::chat))
                    .get("/v1/models", g(failed, openAi::models))
                    .post(SageMakerRuntimeRoutes.INVOKE, runtime::invoke)
                    .post(SageMakerRuntimeRoutes.INVOKE_STREAM, runtime::invokeStream)
                    .any((req, res) -> HttpExchange.sendError(res,
                            new ApiError(404, "Not found: " + req.prologue().method().text() + " " + req.path().path(),
                                    "not_found", null)));
            WebServer web = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .shutdownGracePeriod(DRAIN)
                    .routing(routing)
                    .build()
                    .start();
            // Helidon logs a failed bind and returns a stopped server (port -1) rather than throwing
            if (!web.isRunning()) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " (is the port in use?)");
            }
            runtime.bind(config.host(), web.port());
            return new PeregrineServer(config, scheduler, metrics, runtime, web);
        } catch (RuntimeException e) {
            if (runtime != null) runtime.close();
            if (metrics != null) metrics.close();
            scheduler.close();
            throw e;
        }
    }

    private static Handler g(Consumer<String> failed, Handler h) {
        return Guarded.handler(failed, h);
    }

    /** The bound port (the configured one, or the one chosen for port 0). */
    public int port() {
        return web.port();
    }

    public ServerConfig config() {
        return config;
    }

    public InferenceScheduler scheduler() {
        return scheduler;
    }

    /** This server's own SageMaker Runtime endpoint (its container is this server). */
    public SageMakerEndpoint endpoint() {
        return runtime.endpoint();
    }

    /** Also answers the SageMaker Runtime API for {@code container}'s endpoint, relaying to that server. */
    public void routeEndpointTo(PeregrineServer container) {
        runtime.route(container.endpoint(), container.config.host(), container.port());
    }

    public TgiMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        web.stop();
        runtime.close();
        scheduler.close();
        metrics.close();
    }
}
