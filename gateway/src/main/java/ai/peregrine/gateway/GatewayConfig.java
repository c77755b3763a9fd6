package ai.peregrine.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's settings. {@code runtimeUrl}/{@code endpointName}: the SageMaker Runtime the Lambda handler calls;
 * {@code apiKeys}: the accepted keys in clear (hashed on load), none = open; {@code jobsDatabase}: the H2 file.
 */
public record GatewayConfig(
        String host,
        int port,
        URI runtimeUrl,
        String endpointName,
        List<String> apiKeys,
        UsagePlan usagePlan,
        Duration integrationTimeout,
        long payloadLimit,
        String corsOrigin,
        Path jobsDatabase) {
    public static final int DEFAULT_PORT = 3000;
    public static final Duration DEFAULT_INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    public static final long DEFAULT_PAYLOAD_LIMIT = 10L * 1024 * 1024;

    public static GatewayConfig defaults(URI runtimeUrl, String endpointName, Path jobsDatabase) {
        return new GatewayConfig("0.0.0.0", DEFAULT_PORT, runtimeUrl, endpointName, List.of(), UsagePlan.DEFAULT,
                DEFAULT_INTEGRATION_TIMEOUT, DEFAULT_PAYLOAD_LIMIT, "*", jobsDatabase);
    }

    public GatewayConfig withPort(int p) {
        return new GatewayConfig(host, p, runtimeUrl, endpointName, apiKeys, usagePlan, integrationTimeout, payloadLimit, corsOrigin, jobsDatabase);
    }

    public GatewayConfig withApiKeys(List<String> keys) {
        return new GatewayConfig(host, port, runtimeUrl, endpointName, List.copyOf(keys), usagePlan, integrationTimeout, payloadLimit, corsOrigin, jobsDatabase);
    }

    public GatewayConfig withUsagePlan(UsagePlan plan) {
        return new GatewayConfig(host, port, runtimeUrl, endpointName, apiKeys, plan, integrationTimeout, payloadLimit, corsOrigin, jobsDatabase);
    }

    public GatewayConfig withIntegrationTimeout(Duration t) {
        return new GatewayConfig(host, port, runtimeUrl, endpointName, apiKeys, usagePlan, t, payloadLimit, corsOrigin, jobsDatabase);
    }

    public GatewayConfig withPayloadLimit(long limit) {
        return new GatewayConfig(host, port, runtimeUrl, endpointName, apiKeys, usagePlan, integrationTimeout, limit, corsOrigin, jobsDatabase);
    }
}
