package ai.peregrine.deploy;

/** A finished deployment: its state and where to send requests. */
public record DeployResult(DeploymentState state, String invokeUrl) {
    public String curl() {
        return SamplePayload.curl(invokeUrl);
    }
}
