package ai.peregrine.cli;

import ai.peregrine.deploy.AwsClients;
import ai.peregrine.deploy.StateStore;
import ai.peregrine.deploy.Timing;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/** Options shared by the AWS commands: region, state directory, and test hooks. */
final class AwsOptions {
    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION, else the profile's region).")
    String region;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where deployment state files live (default: $PEREGRINE_STATE_DIR, else ~/.peregrine/deployments).")
    Path stateDir;

    @Option(names = "--endpoint-url", hidden = true, description = "Send every AWS call here (a local AWS double).")
    URI endpointUrl;

    @Option(names = "--poll-seconds", hidden = true, defaultValue = "20",
            description = "Seconds between endpoint polls; also caps the wait between IAM-propagation retries.")
    double pollSeconds;

    StateStore store() {
        return stateDir != null ? new StateStore(stateDir) : StateStore.defaultStore();
    }

    /** --region, else the given fallback (a state file's region), else environment and profile; never EC2 metadata. */
    String region(String fallback) {
        if (region != null) return region;
        if (fallback != null) return fallback;
        try {
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                    .getRegion().id();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("no AWS region: pass --region, or set AWS_REGION, or run 'aws configure'");
        }
    }

    AwsClients clients(String resolvedRegion) {
        return new AwsClients(Region.of(resolvedRegion), null, endpointUrl, null);
    }

    Timing timing() {
        Timing d = Timing.DEFAULT;
        Duration poll = Duration.ofMillis((long) (pollSeconds * 1000));
        Duration roleRetry = poll.compareTo(d.roleRetryDelay()) < 0 ? poll : d.roleRetryDelay();
        return new Timing(poll, d.endpointTimeout(), roleRetry, d.roleRetries());
    }
}
