package ai.peregrine.deploy;

import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;

/** Target tracking of the endpoint variant's instance count on invocations per instance. */
final class EndpointAutoscaling {
    private static final ServiceNamespace NS = ServiceNamespace.SAGEMAKER;
    private static final ScalableDimension DIM = ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT;
    private final ApplicationAutoScalingClient aas;

    EndpointAutoscaling(ApplicationAutoScalingClient aas) {
        this.aas = aas;
    }

    /** Both calls update in place when the target or policy exists, so re-running is safe. */
    void apply(Recorder rec, ResourceNames n, DeploySpec.Autoscaling a) {
        String arn = aas.registerScalableTarget(r -> r.serviceNamespace(NS).resourceId(n.scalableResourceId())
                .scalableDimension(DIM).minCapacity(a.minInstances()).maxCapacity(a.maxInstances()))
                .scalableTargetARN();
        rec.created(ResourceKind.SCALABLE_TARGET, n.scalableResourceId(), arn);
        String policyArn = aas.putScalingPolicy(r -> r.policyName(n.scalingPolicy()).serviceNamespace(NS)
                .resourceId(n.scalableResourceId()).scalableDimension(DIM)
                .policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(a.invocationsPerInstance())
                        .predefinedMetricSpecification(p -> p.predefinedMetricType(
                                MetricType.SAGE_MAKER_VARIANT_INVOCATIONS_PER_INSTANCE)))).policyARN();
        rec.created(ResourceKind.SCALING_POLICY, n.scalingPolicy(), policyArn);
    }

    Deletion deletePolicy(ResourceNames n) {
        return Deletion.of(() -> aas.deleteScalingPolicy(r -> r.policyName(n.scalingPolicy()).serviceNamespace(NS)
                .resourceId(n.scalableResourceId()).scalableDimension(DIM)));
    }

    Deletion deregister(ResourceNames n) {
        return Deletion.of(() -> aas.deregisterScalableTarget(r -> r.serviceNamespace(NS)
                .resourceId(n.scalableResourceId()).scalableDimension(DIM)));
    }
}
