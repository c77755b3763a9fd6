package ai.peregrine.cli;

import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.model.KvCacheType;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.hub.RepoId;
import ai.peregrine.server.ModelLocator;
import ai.peregrine.server.PeregrineServer;
import ai.peregrine.server.ServedEndpoints;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import ai.peregrine.gateway.ApiKeys;
import ai.peregrine.gateway.GatewayConfig;
import ai.peregrine.gateway.GatewayServer;
import ai.peregrine.gateway.UsagePlan;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over TGI's HTTP API, SageMaker's container contract and OpenAI's API.",
                "Limits also come from TGI's environment variables (MAX_INPUT_TOKENS, MAX_TOTAL_TOKENS,",
                "MAX_CONCURRENT_REQUESTS, MAX_BATCH_PREFILL_TOKENS, MAX_STOP_SEQUENCES, MAX_TOP_N_TOKENS,",
                "PAYLOAD_LIMIT, PORT, KV_CACHE_DTYPE, HF_MODEL_ID (a local path or a hub id, with HF_MODEL_REVISION));",
                "flags win.",
                "Without a model: /opt/ml/model, else the demo model."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE.gguf|DIR|ORG/NAME[@REV]",
            description = {"GGUF model file, a Hugging Face model directory (config.json, safetensors, tokenizer.json),",
                    "a directory holding a .gguf, or a Hugging Face hub model id (downloaded into the hub cache)."})
    String model;

    @Option(names = "--no-repack", description = "Run Q4_0 weights as stored in the file (see generate --help).")
    boolean noRepack;

    @Option(names = "--no-repack-cache", description = "Repack Q4_0 weights in memory at every start (see generate --help).")
    boolean noRepackCache;

    @Option(names = "--quantize", paramLabel = "TYPE", converter = QuantizeType.class,
            description = "Quantize F32/F16/BF16 weights while loading, every model served (q8_0, q4_0, q4_k, q5_k, q6_k, q4_k_m, q5_k_m).")
    TargetType quantize;

    @Option(names = "--kv-cache-type", paramLabel = "TYPE", converter = KvCacheTypeOption.class,
            description = KvCacheTypeOption.DESCRIPTION)
    KvCacheType kvCacheType;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: $PORT, else 8080).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default: 0.0.0.0).")
    String host;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--max-concurrent-requests", paramLabel = "N", description = "Requests in flight before 429 (default 128).")
    Integer maxConcurrentRequests;

    @Option(names = "--max-input-tokens", paramLabel = "N", description = "Prompt tokens at most (default: context - 1).")
    Integer maxInputTokens;

    @Option(names = "--max-total-tokens", paramLabel = "N", description = "Prompt + new tokens at most (default: context).")
    Integer maxTotalTokens;

    @Option(names = "--max-batch-size", paramLabel = "N", description = "Sequences decoded together, each with its own KV cache (default 8).")
    Integer maxBatchSize;

    @Option(names = "--endpoint-name", paramLabel = "NAME",
            description = "SageMaker Runtime endpoint name of --model, at /endpoints/NAME/invocations (default: from the model id).")
    String endpointName;

    @Option(names = "--endpoint", paramLabel = "NAME=MODEL",
            description = {"Another model served as SageMaker Runtime endpoint NAME (repeatable); MODEL is a GGUF file,",
                    "a directory holding one, a hub id ORG/NAME[@REVISION] (downloaded like --model), or 'demo'.",
                    "--model stays the container: TGI routes, /ping, /invocations."})
    Map<String, String> moreEndpoints = new LinkedHashMap<>();

    @Option(names = "--gateway-port", paramLabel = "PORT", defaultValue = "3000",
            description = "Local API gateway port: /generate, /generate_stream, /jobs (default 3000; 0 disables).")
    int gatewayPort;

    @Option(names = "--api-key", paramLabel = "KEY", description = "An API key the gateway accepts in X-Api-Key (repeatable).")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--api-keys-file", paramLabel = "FILE", description = "API keys, one a line, for the gateway.")
    Path apiKeysFile;

    @Option(names = "--jobs-db", paramLabel = "FILE", description = "The gateway's jobs database (default: ~/.peregrine/jobs).")
    Path jobsDb;

    @Option(names = "--integration-timeout", paramLabel = "SECONDS", defaultValue = "29",
            description = "Gateway /generate timeout before 504, as API Gateway's (default 29).")
    int integrationTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = Environment.get();
        Path modelPath = HubModelArgument.resolve(model, env, err);
        String hubId = HubModelArgument.isHubId(model) ? RepoId.parse(model).id() : null;
        ServerOptions flags = new ServerOptions(host, port, modelPath, hubId, threads, maxConcurrentRequests, null, null,
                null, maxInputTokens, maxTotalTokens, null, maxBatchSize, null, null);
        ServerOptions options = ServerOptions.fromEnvironment(env).overriddenBy(flags);
        int threadCount = threads != null ? threads : ModelLoader.defaultThreads();
        if (threadCount < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threadCount);
        KvCacheType kv = KvCacheTypeOption.resolve(kvCacheType, env);

        Optional<Path> located = ModelLocator.locate(modelPath, env, ModelLocator.SAGEMAKER_MODEL_DIR,
                id -> HubModelArgument.fromHfModelId(id, env, err));
        EndpointModels loaded;
        try (ProgressBars bars = new ProgressBars(err)) {
            loaded = EndpointModels.load(located, endpointName, moreEndpoints, options, new LoadOptions(threadCount, quantize, bars, !noRepack,
                            noRepackCache ? null : RepackCacheFolder.of(env)).withRepackCacheLimit(RepackCacheFolder.limit(env))
                            .withKvCacheType(kv),
                    () -> err.println("peregrine: no model given: serving the built-in demo model (random weights; its text is noise)"),
                    id -> HubModelArgument.resolve(id, env, err));
        }
        try (EndpointModels models = loaded) {
            ServedEndpoints served = ServedEndpoints.start(models.endpoints());
            PeregrineServer server = served.container();
            ServerConfig config = server.config();
            GatewayServer gateway = gatewayPort == 0 ? null : startGateway(config, server, server.endpoint(), err);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (gateway != null) gateway.close();
                served.close();
                stopped.countDown();
            }, "peregrine-shutdown"));
            err.printf("peregrine: serving %s on http://%s:%d (max_input_tokens %d, max_total_tokens %d, batch %d, %s KV cache)%n",
                    config.modelId(), config.host(), server.port(), config.maxInputTokens(), config.maxTotalTokens(),
                    config.maxBatchSize(), kv.label());
            for (PeregrineServer s : served.servers()) {
                err.printf("peregrine: SageMaker Runtime endpoint %s (%s) at /endpoints/%s/invocations%n",
                        s.endpoint().name(), s.config().modelId(), s.endpoint().name());
            }
            err.flush();
            stopped.await();
        }
        return 0;
    }

    private GatewayServer startGateway(ServerConfig config, PeregrineServer server, SageMakerEndpoint endpoint,
            PrintWriter err) throws java.io.IOException {
        List<String> keys = new ArrayList<>(apiKeys);
        if (apiKeysFile != null) keys.addAll(ApiKeys.readFile(apiKeysFile));
        Path db = jobsDb != null ? jobsDb : Path.of(System.getProperty("user.home"), ".peregrine", "jobs");
        java.nio.file.Files.createDirectories(db.toAbsolutePath().getParent());
        GatewayConfig gc = new GatewayConfig(config.host(), gatewayPort, URI.create("http://127.0.0.1:" + server.port()),
                endpoint.name(), keys, UsagePlan.DEFAULT, Duration.ofSeconds(integrationTimeoutSeconds),
                GatewayConfig.DEFAULT_PAYLOAD_LIMIT, "*", db);
        GatewayServer gateway = GatewayServer.start(gc);
        err.printf("peregrine: gateway on http://%s:%d (POST /generate, /generate_stream, /jobs; %s)%n", config.host(),
                gateway.port(), gateway.keysRequired() ? keys.size() + " API key(s) required" : "no API keys: open to all");
        return gateway;
    }
}
