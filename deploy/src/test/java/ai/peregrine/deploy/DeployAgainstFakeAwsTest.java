package ai.peregrine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** The whole deploy / cleanup flow with the real SDK clients against {@link FakeAws}. */
class DeployAgainstFakeAwsTest {
    private static final Timing FAST = new Timing(Duration.ofMillis(1), Duration.ofSeconds(10), Duration.ofMillis(1), 5);

    @TempDir Path dir;
    private FakeAws fake;
    private AwsClients aws;
    private StateStore store;
    private final List<String> out = new ArrayList<>();
    private DeploySpec spec;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAws();
        aws = clients(fake);
        store = new StateStore(dir.resolve("state"));
        Path jar = dir.resolve("lambda.zip");
        Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        spec = DeploySpec.defaults("falcon-7b-instruct", FakeAws.REGION, "tiiuae/falcon-7b-instruct", jar);
    }

    @AfterEach
    void stop() {
        aws.close();
        fake.close();
    }

    static AwsClients clients(FakeAws fake) {
        var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5)))
                .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(5))).build();
        return new AwsClients(Region.of(FakeAws.REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), fake.uri(),
                ClientOverrideConfiguration.builder().retryStrategy(retry).build());
    }

    private DeployResult deploy(DeploySpec s) {
        return new AwsDeployer(aws, store, FAST, out::add).deploy(s);
    }

    private List<AwsCleaner.Step> cleanup() {
        return new AwsCleaner(aws, store, out::add).cleanup(spec.name(), store.load(spec.name()).orElse(null));
    }

    @Test
    void deployCreatesEverythingInOrderThenCleanupRemovesEverything() {
        fake.throttleOnce.addAll(Set.of("SageMaker.CreateEndpoint", "IAM.CreateRole", "Lambda.CreateFunction",
                "ApiGatewayV2.CreateApi"));
        DeployResult result = deploy(spec);

        assertThat(result.invokeUrl()).matches("https://a\\w+\\.execute-api\\.us-east-1\\.amazonaws\\.com/generate");
        assertThat(result.curl()).contains("\"inputs\": \"Where is Munich? and is it beautiful?\"", "\"top_p\": 0.9",
                "\"max_new_tokens\": 512", "\"repetition_penalty\": 1.03");
        assertThat(fake.calls).containsSubsequence("STS.GetCallerIdentity", "IAM.CreateRole", "IAM.PutRolePolicy",
                "SageMaker.CreateModel", "SageMaker.CreateEndpointConfig", "SageMaker.CreateEndpoint",
                "SageMaker.DescribeEndpoint", "IAM.CreateRole", "IAM.PutRolePolicy", "Lambda.CreateFunction",
                "ApiGatewayV2.CreateApi", "ApiGatewayV2.CreateIntegration", "ApiGatewayV2.CreateRoute",
                "ApiGatewayV2.CreateStage", "Lambda.AddPermission");
        assertThat(fake.throttleOnce).isEmpty(); // each throttled call was retried by the SDK

        JsonNode model = fake.models.get("falcon-7b-instruct-model");
        assertThat(model.path("PrimaryContainer").path("Image").asText()).isEqualTo(
                "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.0.0-tgi0.8.2-gpu-py39-cu118-ubuntu20.04");
        assertThat(model.path("PrimaryContainer").path("Environment").toString()).contains(
                "\"HF_MODEL_ID\":\"tiiuae/falcon-7b-instruct\"", "\"SM_NUM_GPUS\":\"1\"", "\"MAX_INPUT_TOKENS\":\"1024\"",
                "\"MAX_TOTAL_TOKENS\":\"2048\"");
        assertThat(model.path("ExecutionRoleArn").asText()).endsWith(":role/falcon-7b-instruct-sagemaker-role");
        JsonNode variant = fake.endpointConfigs.get("falcon-7b-instruct-config").path("ProductionVariants").path(0);
        assertThat(variant.path("InstanceType").asText()).isEqualTo("ml.g5.2xlarge");
        assertThat(variant.path("InitialInstanceCount").asInt()).isEqualTo(1);
        assertThat(variant.path("ContainerStartupHealthCheckTimeoutInSeconds").asInt()).isEqualTo(300);
        assertThat(variant.path("VariantName").asText()).isEqualTo("AllTraffic");
        FakeAws.Function fn = fake.functions.get("falcon-7b-instruct-generate");
        assertThat(fn.config.path("Environment").path("Variables").path("ENDPOINT_NAME").asText()).isEqualTo("falcon-7b-instruct");
        assertThat(fn.config.path("Role").asText()).endsWith(":role/falcon-7b-instruct-lambda-role");
        assertThat(fn.config.path("Handler").asText()).isEqualTo("ai.peregrine.lambda.HttpApiHandler::handleRequest");
        assertThat(fn.config.path("Runtime").asText()).isEqualTo("java21");
        assertThat(fn.permissions).containsValue(
                "arn:aws:execute-api:us-east-1:123456789012:" + fake.apis.keySet().iterator().next() + "/*/POST/generate");
        FakeAws.Api api = fake.apis.values().iterator().next();
        assertThat(api.routes).singleElement().satisfies(r -> {
            assertThat(r.get("routeKey")).isEqualTo("POST /generate");
            assertThat(r.get("target")).isEqualTo("integrations/" + api.integrations.get(0).get("integrationId"));
        });
        assertThat(api.integrations.get(0)).containsEntry("integrationType", "AWS_PROXY")
                .containsEntry("integrationUri", fn.arn).containsEntry("payloadFormatVersion", "2.0");
        assertThat(api.stages.get(0)).containsEntry("stageName", "$default").containsEntry("autoDeploy", true);
        assertThat(out).anyMatch(l -> l.contains("Creating")).anyMatch(l -> l.contains("InService"));

        DeploymentState saved = store.load(spec.name()).orElseThrow();
        assertThat(saved.resources).hasSize(10);
        assertThat(saved.invokeUrl).isEqualTo(result.invokeUrl());

        List<AwsCleaner.Step> steps = cleanup();
        assertThat(steps).extracting(AwsCleaner.Step::outcome).containsOnly(Deletion.DELETED);
        assertThat(steps).extracting(AwsCleaner.Step::kind).containsExactly(ResourceKind.HTTP_API,
                ResourceKind.LAMBDA_FUNCTION, ResourceKind.LAMBDA_LOG_GROUP, ResourceKind.LAMBDA_ROLE_POLICY,
                ResourceKind.LAMBDA_ROLE, ResourceKind.ENDPOINT, ResourceKind.ENDPOINT_LOG_GROUP,
                ResourceKind.ENDPOINT_CONFIG, ResourceKind.MODEL, ResourceKind.SAGEMAKER_ROLE_POLICY,
                ResourceKind.SAGEMAKER_ROLE);
        assertThat(out).contains("  - CloudWatch log group (SageMaker endpoint) /aws/sagemaker/Endpoints/falcon-7b-instruct deleted");
        assertNothingLeft();
        assertThat(store.load(spec.name())).isEmpty();
    }

    @Test
    void rerunningDeployKeepsWhatExistsAndRerunningCleanupReportsItGone() {
        DeployResult first = deploy(spec);
        int apis = fake.apis.size();
        DeployResult second = deploy(spec);
        assertThat(second.invokeUrl()).isEqualTo(first.invokeUrl());
        assertThat(fake.apis).hasSize(apis);
        assertThat(fake.apis.values().iterator().next().routes).hasSize(1);
        assertThat(out).anyMatch(l -> l.contains("SageMaker endpoint falcon-7b-instruct exists already"));

        cleanup();
        assertNothingLeft();
        fake.calls.clear();
        assertThat(cleanup()).isEmpty(); // no state, nothing found under the derived names: nothing to report
        assertThat(fake.calls).isNotEmpty().noneMatch(c -> c.contains("Create"));
    }

    @Test
    void keptLogGroupsOutliveTheDeploymentAndALaterCleanupFindsThemByName() {
        deploy(spec);
        assertThat(fake.logGroups).containsExactlyInAnyOrder("/aws/sagemaker/Endpoints/falcon-7b-instruct",
                "/aws/lambda/falcon-7b-instruct-generate");
        assertThat(AwsCleaner.plan(spec.name(), null, true)).noneMatch(l -> l.contains("log group"));
        assertThat(AwsCleaner.plan(spec.name(), null, false))
                .contains("CloudWatch log group (Lambda): /aws/lambda/falcon-7b-instruct-generate");

        new AwsCleaner(aws, store, out::add, true).cleanup(spec.name(), store.load(spec.name()).orElseThrow());
        assertThat(fake.endpoints).isEmpty();
        assertThat(fake.logGroups).hasSize(2);
        assertThat(fake.callsOf("CloudWatchLogs")).isEmpty();
        assertThat(store.load(spec.name())).isEmpty();

        // no state file left: the groups are found by their derived names
        assertThat(cleanup()).extracting(AwsCleaner.Step::kind)
                .containsExactly(ResourceKind.LAMBDA_LOG_GROUP, ResourceKind.ENDPOINT_LOG_GROUP);
        assertNothingLeft();
        assertThat(cleanup()).isEmpty();
    }

    @Test
    void cleanupOfARecordedResourceThatIsAlreadyGoneReportsIt() {
        deploy(spec);
        fake.endpoints.clear(); // deleted by hand in the console
        fake.functions.clear();
        List<AwsCleaner.Step> steps = cleanup();
        assertThat(steps).filteredOn(s -> s.outcome() == Deletion.ALREADY_GONE).extracting(AwsCleaner.Step::kind)
                .containsExactly(ResourceKind.LAMBDA_FUNCTION, ResourceKind.ENDPOINT);
        assertThat(out).anyMatch(l -> l.equals("  - SageMaker endpoint falcon-7b-instruct was already gone"));
        assertNothingLeft();
    }

    @Test
    void failedEndpointStopsTheDeployNamesWhatExistsAndCleanupRemovesIt() {
        fake.endpointFailureReason = "The primary container for production variant AllTraffic did not pass the ping health check.";
        assertThatThrownBy(() -> deploy(spec)).isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("endpoint falcon-7b-instruct is Failed: The primary container")
                .hasMessageContaining("SageMaker model: falcon-7b-instruct-model")
                .hasMessageContaining("./peregrine cleanup --name falcon-7b-instruct");
        assertThat(fake.callsOf("Lambda")).isEmpty();
        assertThat(store.load(spec.name()).orElseThrow().resources).extracting(RecordedResource::kind)
                .containsExactly(ResourceKind.SAGEMAKER_ROLE, ResourceKind.SAGEMAKER_ROLE_POLICY, ResourceKind.MODEL,
                        ResourceKind.ENDPOINT_CONFIG, ResourceKind.ENDPOINT);
        cleanup();
        assertNothingLeft();
    }

    @Test
    void failureAfterTheApiIsCreatedLeavesEveryResourceRecordedAndARerunFinishes() {
        fake.failing.put("ApiGatewayV2.CreateRoute", "Unable to create route");
        fake.throttleOnce.add("ApiGatewayV2.CreateRoute");
        assertThatThrownBy(() -> deploy(spec)).isInstanceOf(DeployFailedException.class);
        // every resource that exists in the double is in the state file
        DeploymentState state = store.load(spec.name()).orElseThrow();
        assertThat(state.find(ResourceKind.HTTP_API)).isPresent();
        assertThat(state.find(ResourceKind.LAMBDA_FUNCTION)).isPresent();

        fake.failing.clear();
        DeployResult rerun = deploy(spec);
        assertThat(fake.apis).hasSize(1);
        assertThat(rerun.invokeUrl()).contains(state.find(ResourceKind.HTTP_API).orElseThrow().id());
        cleanup();
        assertNothingLeft();
    }

    @Test
    void autoscalingIsRegisteredAfterInServiceAndRemovedBeforeTheEndpoint() {
        deploy(spec.withAutoscaling(new DeploySpec.Autoscaling(1, 3, 50)));
        assertThat(fake.calls).containsSubsequence("SageMaker.DescribeEndpoint",
                "ApplicationAutoScaling.RegisterScalableTarget", "ApplicationAutoScaling.PutScalingPolicy");
        assertThat(fake.scalableTargets).containsExactly("endpoint/falcon-7b-instruct/variant/AllTraffic");
        fake.calls.clear();
        cleanup();
        assertThat(fake.calls).containsSubsequence("ApplicationAutoScaling.DeleteScalingPolicy",
                "ApplicationAutoScaling.DeregisterScalableTarget", "SageMaker.DeleteEndpoint");
        assertNothingLeft();
    }

    @Test
    void lambdaRolePolicyAllowsExactlyInvokeOnThisEndpointAndItsOwnLogs() throws Exception {
        deploy(spec);
        JsonNode doc = new ObjectMapper().readTree(
                fake.rolePolicies.get("falcon-7b-instruct-lambda-role").get("falcon-7b-instruct-invoke-endpoint"));
        assertThat(doc.path("Version").asText()).isEqualTo("2012-10-17");
        List<JsonNode> statements = StreamSupport.stream(doc.path("Statement").spliterator(), false).toList();
        assertThat(statements).hasSize(2).allMatch(s -> s.path("Effect").asText().equals("Allow"));
        assertThat(statements.get(0).path("Action").asText()).isEqualTo("sagemaker:InvokeEndpoint");
        assertThat(statements.get(0).path("Resource").asText())
                .isEqualTo("arn:aws:sagemaker:us-east-1:123456789012:endpoint/falcon-7b-instruct");
        assertThat(strings(statements.get(1).path("Action")))
                .containsExactly("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");
        assertThat(strings(statements.get(1).path("Resource"))).containsExactly(
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/falcon-7b-instruct-generate",
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/falcon-7b-instruct-generate:*");
        assertThat(doc.toString()).doesNotContain("\"*\"", "sagemaker:*");
        JsonNode trust = new ObjectMapper().readTree(Policies.trust("lambda.amazonaws.com"));
        assertThat(trust.path("Statement").path(0).path("Principal").path("Service").asText()).isEqualTo("lambda.amazonaws.com");
    }

    @Test
    void peregrineImageRunsOnACpuInstanceWithTheModelArchiveFromS3() {
        deploy(new DeploySpec("cpu", FakeAws.REGION, "org/m", ImageChoice.PEREGRINE, null,
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/peregrine:0.1.0", "s3://models/m.tar.gz",
                DeploySpec.DEFAULT_CPU_INSTANCE, 1, 0, 1024, 2048, 600, null, spec.lambdaJar(), spec.lambdaHandler(),
                spec.lambdaRuntime(), null));
        JsonNode container = fake.models.get("cpu-model").path("PrimaryContainer");
        assertThat(container.path("Image").asText()).endsWith("/peregrine:0.1.0");
        assertThat(container.path("ModelDataUrl").asText()).isEqualTo("s3://models/m.tar.gz");
        assertThat(container.path("Environment").has("SM_NUM_GPUS")).isFalse();
        assertThat(fake.endpointConfigs.get("cpu-config").path("ProductionVariants").path(0).path("InstanceType").asText())
                .isEqualTo("ml.c5.4xlarge");
        assertThat(fake.rolePolicies.get("cpu-sagemaker-role").get("cpu-sagemaker-execution"))
                .contains("arn:aws:s3:::models/m.tar.gz");
    }

    @Test
    void aMissingLambdaJarFailsBeforeAnyCall() {
        DeploySpec noJar = DeploySpec.defaults("x", FakeAws.REGION, "m/x", dir.resolve("missing.jar"));
        assertThatThrownBy(() -> deploy(noJar)).hasMessageContaining("Lambda jar not found");
        assertThat(fake.calls).isEmpty();
    }

    private void assertNothingLeft() {
        assertThat(fake.roles).isEmpty();
        assertThat(fake.models).isEmpty();
        assertThat(fake.endpointConfigs).isEmpty();
        assertThat(fake.endpoints).isEmpty();
        assertThat(fake.functions).isEmpty();
        assertThat(fake.apis).isEmpty();
        assertThat(fake.scalableTargets).isEmpty();
        assertThat(fake.scalingPolicies).isEmpty();
        assertThat(fake.logGroups).isEmpty();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

}
