package ai.peregrine.lambda;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClientBuilder;

/** The SageMaker Runtime client the function calls, built once per execution environment. */
final class RuntimeClients {
    private RuntimeClients() {}

    /**
     * On AWS: the region and credentials Lambda provides. Against a local runtime: its URL, and placeholder
     * credentials when none are set (the local runtime does not check signatures). No retries: a throttled or
     * failed model call is reported at once, within API Gateway's time budget.
     */
    static SageMakerRuntimeClient create(LambdaConfig config) {
        SageMakerRuntimeClientBuilder b = SageMakerRuntimeClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(config.invokeTimeout()))
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()).apiCallTimeout(config.invokeTimeout()));
        if (config.runtimeUrl().isPresent()) {
            b.endpointOverride(config.runtimeUrl().get());
            String region = System.getenv("AWS_REGION");
            b.region(Region.of(region == null || region.isBlank() ? "us-east-1" : region));
            if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
                b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            } else {
                b.credentialsProvider(DefaultCredentialsProvider.builder().build());
            }
        }
        return b.build();
    }
}
