package ai.peregrine.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * Launch settings as given (CLI flags over TGI's environment variables); null means "not given" and is
 * filled from the model by {@link #resolve}. Names follow text-generation-launcher's.
 */
public record ServerOptions(
        String host,
        Integer port,
        Path model,
        String modelId,
        Integer threads,
        Integer maxConcurrentRequests,
        Integer maxBestOf,
        Integer maxStopSequences,
        Integer maxTopNTokens,
        Integer maxInputTokens,
        Integer maxTotalTokens,
        Integer maxBatchPrefillTokens,
        Integer maxBatchSize,
        Integer maxClientBatchSize,
        Long payloadLimit) {

    public static final int DEFAULT_PORT = 8080;

    public static ServerOptions defaults() {
        return new ServerOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Reads TGI's variables (MAX_INPUT_LENGTH is the legacy name of MAX_INPUT_TOKENS); unset ones stay null. */
    public static ServerOptions fromEnvironment(Map<String, String> env) {
        EnvReader e = new EnvReader(env);
        Integer maxInput = e.integer("MAX_INPUT_TOKENS");
        if (maxInput == null) maxInput = e.integer("MAX_INPUT_LENGTH");
        return new ServerOptions(null, e.integer("PORT"), null, e.string("HF_MODEL_ID"), null,
                e.integer("MAX_CONCURRENT_REQUESTS"), e.integer("MAX_BEST_OF"), e.integer("MAX_STOP_SEQUENCES"),
                e.integer("MAX_TOP_N_TOKENS"), maxInput, e.integer("MAX_TOTAL_TOKENS"),
                e.integer("MAX_BATCH_PREFILL_TOKENS"), e.integer("MAX_BATCH_SIZE"), e.integer("MAX_CLIENT_BATCH_SIZE"),
                e.longValue("PAYLOAD_LIMIT"));
    }

    /** Each field of {@code over} that is set replaces this one's. */
    public ServerOptions overriddenBy(ServerOptions over) {
        return new ServerOptions(
                pick(over.host, host), pick(over.port, port), pick(over.model, model), pick(over.modelId, modelId),
                pick(over.threads, threads), pick(over.maxConcurrentRequests, maxConcurrentRequests),
                pick(over.maxBestOf, maxBestOf), pick(over.maxStopSequences, maxStopSequences),
                pick(over.maxTopNTokens, maxTopNTokens), pick(over.maxInputTokens, maxInputTokens),
                pick(over.maxTotalTokens, maxTotalTokens), pick(over.maxBatchPrefillTokens, maxBatchPrefillTokens),
                pick(over.maxBatchSize, maxBatchSize), pick(over.maxClientBatchSize, maxClientBatchSize),
                pick(over.payloadLimit, payloadLimit));
    }

    public ServerOptions withPort(int p) {
        return overriddenBy(new ServerOptions(null, p, null, null, null, null, null, null, null, null, null, null, null, null, null));
    }

    public ServerOptions withModelId(String id) {
        return overriddenBy(new ServerOptions(null, null, null, id, null, null, null, null, null, null, null, null, null, null, null));
    }

    public ServerOptions withMaxConcurrentRequests(int n) {
        return overriddenBy(new ServerOptions(null, null, null, null, null, n, null, null, null, null, null, null, null, null, null));
    }

    public ServerOptions withPayloadLimit(long n) {
        return overriddenBy(new ServerOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, null, n));
    }

    public ServerOptions withMaxBatchSize(int n) {
        return overriddenBy(new ServerOptions(null, null, null, null, null, null, null, null, null, null, null, null, n, null, null));
    }

    public ServerOptions withTokenLimits(int maxInput, int maxTotal) {
        return overriddenBy(new ServerOptions(null, null, null, null, null, null, null, null, null, maxInput, maxTotal, null, null, null, null));
    }

    private static <T> T pick(T a, T b) {
        return a != null ? a : b;
    }

    /**
     * Fills unset limits from the model's context length as TGI's launcher does (max_total_tokens = context,
     * max_input_tokens = context - 1, max_batch_prefill_tokens = max_input_tokens + 50) and checks them.
     */
    public ServerConfig resolve(int modelContext, String defaultModelId) {
        int total = maxTotalTokens != null ? maxTotalTokens : modelContext;
        int input = maxInputTokens != null ? maxInputTokens : total - 1;
        require(total <= modelContext, "MAX_TOTAL_TOKENS (" + total + ") exceeds the model's context length ("
                + modelContext + ")");
        require(input >= 1 && input < total, "`max_input_tokens` (" + input
                + ") must be >= 1 and < `max_total_tokens` (" + total + ")");
        int prefill = maxBatchPrefillTokens != null ? maxBatchPrefillTokens : input + 50;
        require(prefill >= input, "`max_batch_prefill_tokens` (" + prefill + ") must be >= `max_input_tokens` ("
                + input + ")");
        ServerConfig c = new ServerConfig(
                host != null ? host : "0.0.0.0",
                port != null ? port : DEFAULT_PORT,
                modelId != null ? modelId : defaultModelId,
                positive("MAX_CONCURRENT_REQUESTS", maxConcurrentRequests, 128),
                positive("MAX_BEST_OF", maxBestOf, 2),
                atLeast0("MAX_STOP_SEQUENCES", maxStopSequences, 4),
                atLeast0("MAX_TOP_N_TOKENS", maxTopNTokens, 5),
                input, total, prefill,
                positive("MAX_BATCH_SIZE", maxBatchSize, 8),
                positive("MAX_CLIENT_BATCH_SIZE", maxClientBatchSize, 4),
                payloadLimit != null ? payloadLimit : 2_000_000L);
        require(c.payloadLimit() > 0, "PAYLOAD_LIMIT must be positive");
        require(c.port() >= 0 && c.port() <= 65535, "PORT must be in [0, 65535], got " + c.port());
        return c;
    }

    private static int positive(String name, Integer v, int fallback) {
        int x = v != null ? v : fallback;
        require(x >= 1, name + " must be >= 1, got " + x);
        return x;
    }

    private static int atLeast0(String name, Integer v, int fallback) {
        int x = v != null ? v : fallback;
        require(x >= 0, name + " must be >= 0, got " + x);
        return x;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    private record EnvReader(Map<String, String> env) {
        String string(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        Integer integer(String name) {
            String v = string(name);
            if (v == null) return null;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
            }
        }

        Long longValue(String name) {
            String v = string(name);
            if (v == null) return null;
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
            }
        }
    }
}
