package ai.peregrine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {
    @Test
    void missingCredentialsAndRegionSayHowToConfigureThem() {
        assertThat(AwsErrors.describe(SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(...)")))
                .startsWith("no AWS credentials found: run 'aws configure'");
        assertThat(AwsErrors.describe(SdkClientException.create("Unable to load region from any of the providers")))
                .contains("pass --region");
    }
}
