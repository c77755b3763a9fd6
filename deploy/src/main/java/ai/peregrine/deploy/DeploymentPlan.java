package ai.peregrine.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every resource a deployment creates, in order, with its key settings. Built without calling AWS, so
 * {@code --dry-run} can print it; {@code account} is a placeholder there.
 */
public record DeploymentPlan(DeploySpec spec, String account, ResourceNames names, List<PlannedResource> resources) {

    public static final String ACCOUNT_PLACEHOLDER = "<account-id>";

    public static DeploymentPlan of(DeploySpec spec, String account) {
        ResourceNames n = new ResourceNames(spec.name());
        String region = spec.region();
        List<PlannedResource> r = new ArrayList<>();
        if (spec.executionRoleArn() == null) {
            r.add(new PlannedResource(ResourceKind.SAGEMAKER_ROLE, n.sagemakerRole(),
                    settings("trusts", "sagemaker.amazonaws.com")));
            r.add(new PlannedResource(ResourceKind.SAGEMAKER_ROLE_POLICY, n.sagemakerRolePolicy(),
                    settings("allows", "ECR image pull, logs of /aws/sagemaker/Endpoints/" + n.endpoint()
                            + ", cloudwatch:PutMetricData" + (spec.modelDataUrl() == null ? ""
                            : ", s3:GetObject on " + spec.modelDataUrl()))));
        }
        Map<String, String> model = settings("image", imageOrHint(spec));
        if (spec.modelDataUrl() != null) model.put("modelDataUrl", spec.modelDataUrl() + " (unpacked into /opt/ml/model)");
        model.putAll(settings(
                "environment", String.join(", ", environment(spec).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()),
                "executionRole", executionRoleArn(spec, account, n)));
        r.add(new PlannedResource(ResourceKind.MODEL, n.model(), model));
        r.add(new PlannedResource(ResourceKind.ENDPOINT_CONFIG, n.endpointConfig(), settings(
                "variant", ResourceNames.VARIANT,
                "instanceType", spec.instanceType(),
                "instanceCount", String.valueOf(spec.instanceCount()),
                "containerStartupHealthCheckTimeoutSeconds", String.valueOf(spec.startupHealthCheckTimeoutSeconds()))));
        r.add(new PlannedResource(ResourceKind.ENDPOINT, n.endpoint(), settings(
                "arn", ResourceNames.endpointArn(region, account, n.endpoint()), "waitFor", "InService")));
        if (spec.autoscaling() != null) {
            var a = spec.autoscaling();
            r.add(new PlannedResource(ResourceKind.SCALABLE_TARGET, n.scalableResourceId(), settings(
                    "minInstances", String.valueOf(a.minInstances()), "maxInstances", String.valueOf(a.maxInstances()))));
            r.add(new PlannedResource(ResourceKind.SCALING_POLICY, n.scalingPolicy(), settings(
                    "metric", "SageMakerVariantInvocationsPerInstance",
                    "targetValue", String.valueOf(a.invocationsPerInstance()))));
        }
        r.add(new PlannedResource(ResourceKind.LAMBDA_ROLE, n.lambdaRole(), settings("trusts", "lambda.amazonaws.com")));
        r.add(new PlannedResource(ResourceKind.LAMBDA_ROLE_POLICY, n.lambdaRolePolicy(), settings(
                "allows", "sagemaker:InvokeEndpoint on " + ResourceNames.endpointArn(region, account, n.endpoint())
                        + "; logs of /aws/lambda/" + n.lambdaFunction())));
        r.add(new PlannedResource(ResourceKind.LAMBDA_FUNCTION, n.lambdaFunction(), settings(
                "code", String.valueOf(spec.lambdaJar()),
                "runtime", spec.lambdaRuntime(),
                "handler", spec.lambdaHandler(),
                "environment", "ENDPOINT_NAME=" + n.endpoint())));
        r.add(new PlannedResource(ResourceKind.HTTP_API, n.api(), settings(
                "route", ResourceNames.ROUTE_KEY, "integration", "AWS_PROXY → " + n.lambdaFunction()
                        + " (payload 2.0, 30 s)", "stage", "$default (auto-deploy)")));
        r.add(new PlannedResource(ResourceKind.API_INVOKE_PERMISSION, ResourceNames.PERMISSION_STATEMENT_ID, settings(
                "principal", "apigateway.amazonaws.com", "action", "lambda:InvokeFunction",
                "sourceArn", "arn:aws:execute-api:" + region + ":" + account + ":<api-id>/*/POST/generate")));
        return new DeploymentPlan(spec, account, n, List.copyOf(r));
    }

    /** The container environment: what TGI's SageMaker entrypoint (and Peregrine's image) read. */
    public static Map<String, String> environment(DeploySpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HF_MODEL_ID", spec.modelId());
        if (spec.image() == ImageChoice.TGI) env.put("SM_NUM_GPUS", String.valueOf(spec.numGpus()));
        env.put("MAX_INPUT_TOKENS", String.valueOf(spec.maxInputTokens()));
        env.put("MAX_TOTAL_TOKENS", String.valueOf(spec.maxTotalTokens()));
        return env;
    }

    public static String executionRoleArn(DeploySpec spec, String account, ResourceNames n) {
        return spec.executionRoleArn() != null ? spec.executionRoleArn()
                : "arn:aws:iam::" + account + ":role/" + n.sagemakerRole();
    }

    /** The plan as text: one numbered line per resource, its settings indented below. */
    public String render() {
        StringBuilder out = new StringBuilder("Deployment '" + spec.name() + "' in " + spec.region() + " (account "
                + account + "):\n");
        int i = 1;
        for (PlannedResource p : resources) {
            out.append(String.format("%2d. %s: %s%n", i++, p.kind().label(), p.name()));
            p.settings().forEach((k, v) -> out.append("      ").append(k).append(": ").append(v).append('\n'));
        }
        return out.toString();
    }

    private static String imageOrHint(DeploySpec spec) {
        try {
            return spec.resolvedImageUri();
        } catch (IllegalArgumentException e) {
            return "<" + e.getMessage() + ">";
        }
    }

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }
}
