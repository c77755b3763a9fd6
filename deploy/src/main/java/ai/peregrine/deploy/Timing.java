package ai.peregrine.deploy;

import java.time.Duration;

/**
 * How long to wait and how often to look. Tests shrink these; the defaults suit real AWS (an endpoint takes
 * 5–15 minutes; a new IAM role takes seconds to become usable by Lambda and SageMaker).
 */
public record Timing(Duration pollInterval, Duration endpointTimeout, Duration roleRetryDelay, int roleRetries) {
    public static final Timing DEFAULT = new Timing(Duration.ofSeconds(20), Duration.ofMinutes(60),
            Duration.ofSeconds(5), 12);

    void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
