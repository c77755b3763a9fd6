package ai.peregrine.deploy;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients a deployment uses, built on first use (a dry run builds none). Default credential chain
 * unless given; {@code endpointOverride} points every client at one address (the tests' AWS double).
 */
public final class AwsClients implements AutoCloseable {
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI endpointOverride;
    private final ClientOverrideConfiguration override;
    private SdkHttpClient http;
    private SageMakerClient sageMaker;
    private SageMakerRuntimeClient sageMakerRuntime;
    private IamClient iam;
    private LambdaClient lambda;
    private ApiGatewayV2Client apiGateway;
    private StsClient sts;
    private ApplicationAutoScalingClient autoScaling;
    private CloudWatchLogsClient logs;

    public AwsClients(Region region, AwsCredentialsProvider credentials, URI endpointOverride,
                      ClientOverrideConfiguration override) {
        this.region = region;
        this.credentials = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
        this.endpointOverride = endpointOverride;
        this.override = override;
    }

    public static AwsClients forRegion(String region) {
        return new AwsClients(Region.of(region), null, null, null);
    }

    public Region region() {
        return region;
    }

    public synchronized SageMakerClient sageMaker() {
        if (sageMaker == null) sageMaker = configure(SageMakerClient.builder(), region);
        return sageMaker;
    }

    public synchronized SageMakerRuntimeClient sageMakerRuntime() {
        if (sageMakerRuntime == null) sageMakerRuntime = configure(SageMakerRuntimeClient.builder(), region);
        return sageMakerRuntime;
    }

    public synchronized IamClient iam() {
        if (iam == null) iam = configure(IamClient.builder(), Region.AWS_GLOBAL); // IAM is a global service
        return iam;
    }

    public synchronized LambdaClient lambda() {
        if (lambda == null) lambda = configure(LambdaClient.builder(), region);
        return lambda;
    }

    public synchronized ApiGatewayV2Client apiGateway() {
        if (apiGateway == null) apiGateway = configure(ApiGatewayV2Client.builder(), region);
        return apiGateway;
    }

    public synchronized StsClient sts() {
        if (sts == null) sts = configure(StsClient.builder(), region);
        return sts;
    }

    public synchronized ApplicationAutoScalingClient autoScaling() {
        if (autoScaling == null) autoScaling = configure(ApplicationAutoScalingClient.builder(), region);
        return autoScaling;
    }

    public synchronized CloudWatchLogsClient logs() {
        if (logs == null) logs = configure(CloudWatchLogsClient.builder(), region);
        return logs;
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, Region r) {
        if (http == null) {
            // a Lambda upload of a fat jar takes longer than the default 30 s socket timeout on slow links
            http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(3)).build();
        }
        builder.region(r).credentialsProvider(credentials).httpClient(http);
        if (endpointOverride != null) builder.endpointOverride(endpointOverride);
        if (override != null) builder.overrideConfiguration(override);
        return builder.build();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {sageMaker, sageMakerRuntime, iam, lambda, apiGateway, sts,
                autoScaling, logs, http}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception ignored) {
                // closing an SDK client only releases connections
            }
        }
    }
}
