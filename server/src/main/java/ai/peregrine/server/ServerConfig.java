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
        long payloadLimit) {

    /** The same limits bound to another address (an extra endpoint's container listens on loopback, port 0). */
    public ServerConfig withAddress(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, modelId, maxConcurrentRequests, maxBestOf, maxStopSequences,
                maxTopNTokens, maxInputTokens, maxTotalTokens, maxBatchPrefillTokens, maxBatchSize, maxClientBatchSize,
                payloadLimit);
    }
}
