package ai.peregrine.deploy;

import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * Creates a deployment's resources in plan order, recording each in the state file as soon as it exists.
 * Re-running keeps what exists. A failure stops the run with a {@link DeployFailedException} that lists what
 * exists and how to remove it.
 */
public final class AwsDeployer {
    private final AwsClients aws;
    private final StateStore store;
    private final Timing timing;
    private final Consumer<String> progress;

    public AwsDeployer(AwsClients aws, StateStore store, Timing timing, Consumer<String> progress) {
        this.aws = aws;
        this.store = store;
        this.timing = timing;
        this.progress = progress;
    }

    /** The plan with the caller's account filled in (one STS call). */
    public DeploymentPlan plan(DeploySpec spec) {
        return DeploymentPlan.of(spec, aws.sts().getCallerIdentity().account());
    }

    public DeployResult deploy(DeploySpec spec) {
        if (spec.lambdaJar() == null || !Files.isRegularFile(spec.lambdaJar())) {
            throw new IllegalArgumentException("Lambda jar not found: " + spec.lambdaJar()
                    + " (build it with ./mvnw -q -B -pl lambda -am package -DskipTests, or pass --lambda-jar)");
        }
        String image = spec.resolvedImageUri();
        DeploymentPlan plan = plan(spec);
        DeploymentState state = store.load(spec.name()).orElseGet(() ->
                new DeploymentState(spec.name(), spec.region(), plan.account(), spec.modelId()));
        if (!spec.region().equals(state.region)) {
            throw new IllegalArgumentException("deployment '" + spec.name() + "' already lives in " + state.region
                    + "; clean it up first or choose another --name");
        }
        Recorder rec = new Recorder(state, store, progress);
        rec.say("Deploying '" + spec.name() + "' to " + spec.region() + " (state: " + store.pathOf(spec.name()) + ")");
        try {
            String invokeUrl = createAll(spec, plan, image, rec);
            state.invokeUrl = invokeUrl;
            store.save(state);
            return new DeployResult(state, invokeUrl);
        } catch (RuntimeException e) {
            throw new DeployFailedException(spec.name(), e, state.resources);
        }
    }

    private String createAll(DeploySpec spec, DeploymentPlan plan, String image, Recorder rec) {
        ResourceNames n = plan.names();
        String account = plan.account();
        IamRoles iam = new IamRoles(aws.iam());
        if (spec.executionRoleArn() == null) {
            iam.ensureRole(rec, ResourceKind.SAGEMAKER_ROLE, n.sagemakerRole(), Policies.trust("sagemaker.amazonaws.com"),
                    "Peregrine " + spec.name() + ": runs the SageMaker endpoint's container");
            iam.putPolicy(rec, ResourceKind.SAGEMAKER_ROLE_POLICY, n.sagemakerRole(), n.sagemakerRolePolicy(),
                    Policies.sagemakerExecution(spec.region(), account, n.endpoint(), spec.modelDataUrl()));
        }
        SageMakerResources sm = new SageMakerResources(aws.sageMaker(), timing);
        sm.ensureModel(rec, n.model(), image, spec.modelDataUrl(), DeploymentPlan.environment(spec),
                DeploymentPlan.executionRoleArn(spec, account, n));
        sm.ensureEndpointConfig(rec, n.endpointConfig(), n.model(), spec.instanceType(), spec.instanceCount(),
                spec.startupHealthCheckTimeoutSeconds());
        sm.ensureEndpoint(rec, n.endpoint(), n.endpointConfig());
        sm.awaitInService(rec, n.endpoint());
        if (spec.autoscaling() != null) new EndpointAutoscaling(aws.autoScaling()).apply(rec, n, spec.autoscaling());

        iam.ensureRole(rec, ResourceKind.LAMBDA_ROLE, n.lambdaRole(), Policies.trust("lambda.amazonaws.com"),
                "Peregrine " + spec.name() + ": lets the Lambda invoke its SageMaker endpoint");
        iam.putPolicy(rec, ResourceKind.LAMBDA_ROLE_POLICY, n.lambdaRole(), n.lambdaRolePolicy(),
                Policies.lambdaInvoke(spec.region(), account, n.endpoint(), n.lambdaFunction()));
        String roleArn = rec.state().find(ResourceKind.LAMBDA_ROLE).orElseThrow().arn();
        LambdaFunctions lambdas = new LambdaFunctions(aws.lambda(), timing);
        String functionArn = lambdas.ensureFunction(rec, n.lambdaFunction(), spec, roleArn, n.endpoint());
        String apiEndpoint = new HttpApis(aws.apiGateway()).ensureApi(rec, n.api(), functionArn);
        String apiId = rec.state().find(ResourceKind.HTTP_API).orElseThrow().id();
        lambdas.allowApiGateway(rec, n.lambdaFunction(),
                "arn:aws:execute-api:" + spec.region() + ":" + account + ":" + apiId + "/*/POST/generate");
        return apiEndpoint + "/generate";
    }
}
