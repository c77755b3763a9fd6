package ai.peregrine.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Deletes a deployment in dependency order: the API and Lambda first (nothing calls the endpoint any more),
 * then autoscaling, endpoint, configuration, model, and the roles; each log group right after the function or
 * endpoint that writes it (unless kept), so nothing writes it again. Idempotent: a resource already gone is
 * reported, not an error. Resources are found by the state file and, for every resource with a derived name,
 * by that name too, so a lost or partial state file still cleans up.
 */
public final class AwsCleaner {
    /** One line of the report. */
    public record Step(ResourceKind kind, String id, Deletion outcome) {}

    private final AwsClients aws;
    private final StateStore store;
    private final Consumer<String> progress;
    private final boolean keepLogs;

    public AwsCleaner(AwsClients aws, StateStore store, Consumer<String> progress) {
        this(aws, store, progress, false);
    }

    /** @param keepLogs leave the function's and the endpoint's CloudWatch log groups (to read them afterwards) */
    public AwsCleaner(AwsClients aws, StateStore store, Consumer<String> progress, boolean keepLogs) {
        this.aws = aws;
        this.store = store;
        this.progress = progress;
        this.keepLogs = keepLogs;
    }

    /** What cleanup would delete, in order, without calling AWS. */
    public static List<String> plan(String name, DeploymentState state, boolean keepLogs) {
        ResourceNames n = new ResourceNames(name);
        List<String> lines = new ArrayList<>();
        String apiId = state == null ? null : state.find(ResourceKind.HTTP_API).map(RecordedResource::id).orElse(null);
        if (apiId != null) lines.add(ResourceKind.HTTP_API.label() + ": " + apiId);
        lines.add(ResourceKind.LAMBDA_FUNCTION.label() + ": " + n.lambdaFunction() + " (with its API Gateway permission)");
        if (!keepLogs) lines.add(ResourceKind.LAMBDA_LOG_GROUP.label() + ": " + n.lambdaLogGroup());
        lines.add(ResourceKind.LAMBDA_ROLE_POLICY.label() + ": " + n.lambdaRolePolicy());
        lines.add(ResourceKind.LAMBDA_ROLE.label() + ": " + n.lambdaRole());
        lines.add(ResourceKind.SCALING_POLICY.label() + " and target: " + n.scalableResourceId());
        lines.add(ResourceKind.ENDPOINT.label() + ": " + n.endpoint());
        if (!keepLogs) lines.add(ResourceKind.ENDPOINT_LOG_GROUP.label() + ": " + n.endpointLogGroup());
        lines.add(ResourceKind.ENDPOINT_CONFIG.label() + ": " + n.endpointConfig());
        lines.add(ResourceKind.MODEL.label() + ": " + n.model());
        lines.add(ResourceKind.SAGEMAKER_ROLE_POLICY.label() + ": " + n.sagemakerRolePolicy());
        lines.add(ResourceKind.SAGEMAKER_ROLE.label() + ": " + n.sagemakerRole());
        return lines;
    }

    public List<Step> cleanup(String name, DeploymentState recorded) {
        DeploymentState state = recorded != null ? recorded : new DeploymentState(name, aws.region().id(), null, null);
        ResourceNames n = new ResourceNames(name);
        List<Step> steps = new ArrayList<>();
        progress.accept("Cleaning up '" + name + "' in " + state.region);

        state.find(ResourceKind.HTTP_API).ifPresent(api ->
                run(steps, state, ResourceKind.HTTP_API, api.id(), () -> new HttpApis(aws.apiGateway()).delete(api.id())));
        LambdaFunctions lambdas = new LambdaFunctions(aws.lambda(), Timing.DEFAULT);
        // the permission lives inside the function's policy and goes with the function
        state.find(ResourceKind.API_INVOKE_PERMISSION).ifPresent(p -> forget(state, ResourceKind.API_INVOKE_PERMISSION));
        run(steps, state, ResourceKind.LAMBDA_FUNCTION, n.lambdaFunction(), () -> lambdas.deleteFunction(n.lambdaFunction()));
        LogGroups logs = keepLogs ? null : new LogGroups(aws.logs());
        if (logs != null) run(steps, state, ResourceKind.LAMBDA_LOG_GROUP, n.lambdaLogGroup(), () -> logs.delete(n.lambdaLogGroup()));
        IamRoles iam = new IamRoles(aws.iam());
        run(steps, state, ResourceKind.LAMBDA_ROLE_POLICY, n.lambdaRolePolicy(),
                () -> iam.deletePolicy(n.lambdaRole(), n.lambdaRolePolicy()));
        run(steps, state, ResourceKind.LAMBDA_ROLE, n.lambdaRole(), () -> iam.deleteRole(n.lambdaRole()));

        if (state.find(ResourceKind.SCALABLE_TARGET).isPresent() || state.find(ResourceKind.SCALING_POLICY).isPresent()) {
            EndpointAutoscaling scaling = new EndpointAutoscaling(aws.autoScaling());
            run(steps, state, ResourceKind.SCALING_POLICY, n.scalingPolicy(), () -> scaling.deletePolicy(n));
            run(steps, state, ResourceKind.SCALABLE_TARGET, n.scalableResourceId(), () -> scaling.deregister(n));
        }
        SageMakerResources sm = new SageMakerResources(aws.sageMaker(), Timing.DEFAULT);
        run(steps, state, ResourceKind.ENDPOINT, n.endpoint(), () -> sm.deleteEndpoint(n.endpoint()));
        if (logs != null) run(steps, state, ResourceKind.ENDPOINT_LOG_GROUP, n.endpointLogGroup(), () -> logs.delete(n.endpointLogGroup()));
        run(steps, state, ResourceKind.ENDPOINT_CONFIG, n.endpointConfig(), () -> sm.deleteEndpointConfig(n.endpointConfig()));
        run(steps, state, ResourceKind.MODEL, n.model(), () -> sm.deleteModel(n.model()));
        run(steps, state, ResourceKind.SAGEMAKER_ROLE_POLICY, n.sagemakerRolePolicy(),
                () -> iam.deletePolicy(n.sagemakerRole(), n.sagemakerRolePolicy()));
        run(steps, state, ResourceKind.SAGEMAKER_ROLE, n.sagemakerRole(), () -> iam.deleteRole(n.sagemakerRole()));

        if (state.resources.isEmpty()) store.delete(name);
        return steps;
    }

    /**
     * Deletes one resource. A recorded one is always reported; an unrecorded one (found only by its derived name)
     * is reported only when it was really there.
     */
    private void run(List<Step> steps, DeploymentState state, ResourceKind kind, String id, Supplier<Deletion> delete) {
        boolean recorded = state.find(kind).isPresent();
        Deletion outcome = delete.get();
        if (recorded || outcome == Deletion.DELETED) {
            steps.add(new Step(kind, id, outcome));
            progress.accept("  - " + kind.label() + " " + id + (outcome == Deletion.DELETED ? " deleted"
                    : " was already gone"));
        }
        if (recorded) forget(state, kind);
    }

    private void forget(DeploymentState state, ResourceKind kind) {
        state.remove(kind);
        if (state.name != null && store.load(state.name).isPresent()) store.save(state);
    }
}
