package ai.peregrine.server.sagemaker;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The endpoint the local SageMaker Runtime answers for. {@code invocationTimeout} is SageMaker's model
 * processing limit (60 s on AWS): past it the runtime stops waiting for the container.
 */
public record SageMakerEndpoint(String name, Duration invocationTimeout) {
    public static final Duration DEFAULT_INVOCATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");

    public SageMakerEndpoint {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("endpoint name must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])* and be at most"
                    + " 63 characters, got \"" + name + "\"");
        }
    }

    public static SageMakerEndpoint named(String name) {
        return new SageMakerEndpoint(name, DEFAULT_INVOCATION_TIMEOUT);
    }

    /** A valid endpoint name from a model id: other characters become dashes ("org/Model_v1.5" → "org-Model-v1-5"). */
    public static SageMakerEndpoint forModel(String modelId) {
        String n = modelId.replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 63) n = n.substring(0, 63).replaceAll("-+$", "");
        return named(n.isEmpty() ? "peregrine" : n);
    }

    public SageMakerEndpoint withInvocationTimeout(Duration timeout) {
        return new SageMakerEndpoint(name, timeout);
    }
}
