package ai.peregrine.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Each recorded resource with what AWS says about it now; the endpoint with its status and instance count. */
public final class DeploymentStatus {
    private final AwsClients aws;

    public DeploymentStatus(AwsClients aws) {
        this.aws = aws;
    }

    public List<String> describe(DeploymentState state) {
        List<String> lines = new ArrayList<>();
        lines.add("Deployment '" + state.name + "' in " + state.region + " (model " + state.modelId + ")");
        for (RecordedResource r : state.resources) {
            lines.add(String.format("  %-45s %-40s %s", r.kind().label(), r.id(), live(r)));
        }
        if (state.invokeUrl != null) lines.add("  invoke URL: " + state.invokeUrl);
        return lines;
    }

    private String live(RecordedResource r) {
        return switch (r.kind()) {
            case SAGEMAKER_ROLE, LAMBDA_ROLE -> probe(() -> new IamRoles(aws.iam()).exists(r.id()) ? "present" : "gone");
            case MODEL -> probe(() -> {
                aws.sageMaker().describeModel(q -> q.modelName(r.id()));
                return "present";
            });
            case ENDPOINT_CONFIG -> probe(() -> {
                aws.sageMaker().describeEndpointConfig(q -> q.endpointConfigName(r.id()));
                return "present";
            });
            case ENDPOINT -> probe(() -> {
                var d = aws.sageMaker().describeEndpoint(q -> q.endpointName(r.id()));
                String s = d.endpointStatusAsString();
                if (d.hasProductionVariants() && !d.productionVariants().isEmpty()) {
                    var v = d.productionVariants().get(0);
                    s += ", instances " + v.currentInstanceCount() + " (desired " + v.desiredInstanceCount() + ")";
                }
                return d.failureReason() != null ? s + ": " + d.failureReason() : s;
            });
            case LAMBDA_FUNCTION -> probe(() -> aws.lambda().getFunction(q -> q.functionName(r.id())).configuration()
                    .stateAsString());
            case HTTP_API -> probe(() -> {
                String url = new HttpApis(aws.apiGateway()).endpointOf(r.id());
                return url == null ? "gone" : url;
            });
            default -> "recorded";
        };
    }

    private static String probe(Supplier<String> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return AwsErrors.isNotFound(e) ? "gone" : "unknown (" + AwsErrors.describe(e) + ")";
        }
    }
}
