package ai.peregrine.deploy;

import java.util.List;

/** {@code status} of a local deployment: whether serve's runtime, its endpoint and its gateway still answer. */
public final class LocalStatus {
    private final LocalRuntime runtime;

    public LocalStatus(LocalRuntime runtime) {
        this.runtime = runtime;
    }

    public List<String> describe(DeploymentState state) {
        boolean up = runtime.isUp(state.runtimeUrl);
        String endpoint = !up ? "unknown (runtime down)"
                : runtime.endpointExists(state.runtimeUrl, state.name) ? "InService" : "gone";
        String gateway = state.invokeUrl.replaceFirst("/generate$", "");
        return List.of(
                "Deployment '" + state.name + "' (local, model " + state.modelId + ")",
                String.format("  %-45s %-40s %s", "Runtime (./peregrine serve)", state.runtimeUrl, up ? "up" : "down"),
                String.format("  %-45s %-40s %s", "SageMaker Runtime endpoint", state.name, endpoint),
                String.format("  %-45s %-40s %s", "Gateway (POST /generate)", gateway,
                        runtime.gatewayIsUp(gateway) ? "up" : "down"),
                "  invoke URL: " + state.invokeUrl);
    }
}
