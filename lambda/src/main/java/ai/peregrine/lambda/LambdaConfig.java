package ai.peregrine.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The function's settings from its environment: {@code ENDPOINT_NAME} (required), {@code SAGEMAKER_RUNTIME_URL}
 * (a local runtime instead of AWS's), {@code INVOKE_TIMEOUT_MS} (default 28 s: an answer before API Gateway's 29 s).
 */
public record LambdaConfig(String endpointName, Optional<URI> runtimeUrl, Duration invokeTimeout) {
    public static final Duration DEFAULT_INVOKE_TIMEOUT = Duration.ofSeconds(28);

    public static LambdaConfig fromEnvironment(Map<String, String> env) {
        String name = env.get("ENDPOINT_NAME");
        if (name == null || name.isBlank()) throw new IllegalStateException("ENDPOINT_NAME is not set");
        Optional<URI> url = Optional.ofNullable(env.get("SAGEMAKER_RUNTIME_URL")).filter(s -> !s.isBlank()).map(URI::create);
        String timeout = env.get("INVOKE_TIMEOUT_MS");
        Duration t = timeout == null || timeout.isBlank() ? DEFAULT_INVOKE_TIMEOUT : Duration.ofMillis(Long.parseLong(timeout));
        return new LambdaConfig(name, url, t);
    }

    public static LambdaConfig local(String endpointName, URI runtimeUrl, Duration invokeTimeout) {
        return new LambdaConfig(endpointName, Optional.of(runtimeUrl), invokeTimeout);
    }
}
