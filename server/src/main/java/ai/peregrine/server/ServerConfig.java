package ai.peregrine.server;

/** The resolved limits the server runs with (see {@link ServerOptions#resolve}); /info reports them. */
public record ServerConfig(
        String host,
        int port,
        String modelId,
        int maxConcurrentRequests,
        int maxBestOf,
        int maxStopSequences,
        int maxTopNTokens,
        int maxInputTokens,
        int maxTotalTokens,
        int maxBatchPrefillTokens,
        int maxBatchSize,
        int maxClientBatchSize,
        long payloadLimit) {}
