package ai.peregrine.deploy;

import java.util.function.Consumer;

/**
 * {@code deploy local}: the AWS plan's shape against a running {@code ./peregrine serve} — its SageMaker Runtime
 * routes stand in for the endpoint, its gateway's {@code POST /generate} for API Gateway and the Lambda. Nothing is
 * created; the deployment is checked and recorded in the same state file format, so status, invoke and cleanup work.
 */
public final class LocalDeployer {
    /** What to check and record. */
    public record Spec(String name, String modelId, String runtimeUrl, String gatewayUrl) {
        public Spec {
            runtimeUrl = runtimeUrl.replaceAll("/+$", "");
            gatewayUrl = gatewayUrl.replaceAll("/+$", "");
        }
    }

    private final StateStore store;
    private final LocalRuntime runtime;
    private final Consumer<String> progress;

    public LocalDeployer(StateStore store, LocalRuntime runtime, Consumer<String> progress) {
        this.store = store;
        this.runtime = runtime;
        this.progress = progress;
    }

    public DeployResult deploy(Spec spec) {
        progress.accept("Local deployment '" + spec.name() + "' (model " + spec.modelId() + ")");
        if (!runtime.isUp(spec.runtimeUrl())) {
            throw new IllegalArgumentException("nothing answers GET " + spec.runtimeUrl() + "/ping; start ./peregrine serve"
                    + " (or pass --runtime-url)");
        }
        progress.accept("  runtime " + spec.runtimeUrl() + ": up");
        if (!runtime.endpointExists(spec.runtimeUrl(), spec.name())) {
            throw new IllegalArgumentException("the runtime at " + spec.runtimeUrl() + " has no endpoint '" + spec.name()
                    + "'; pass --name with serve's endpoint name (it prints it, or set it with serve --endpoint-name)");
        }
        progress.accept("  SageMaker Runtime endpoint " + spec.name() + ": InService");
        if (!runtime.gatewayIsUp(spec.gatewayUrl())) {
            throw new IllegalArgumentException("no gateway answers at " + spec.gatewayUrl() + "; serve starts one on"
                    + " --gateway-port (default 3000), or pass --gateway-url");
        }
        progress.accept("  gateway " + spec.gatewayUrl() + ": up");

        DeploymentState state = new DeploymentState(spec.name(), DeploymentState.LOCAL, null, spec.modelId());
        state.kind = DeploymentState.LOCAL;
        state.runtimeUrl = spec.runtimeUrl();
        state.invokeUrl = spec.gatewayUrl() + "/generate";
        store.save(state);
        progress.accept("  recorded in " + store.pathOf(spec.name()));
        return new DeployResult(state, state.invokeUrl);
    }
}
