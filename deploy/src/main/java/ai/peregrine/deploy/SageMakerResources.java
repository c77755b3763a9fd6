package ai.peregrine.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;

/** The model, endpoint configuration and endpoint: create (or keep an existing one), wait, delete. */
final class SageMakerResources {
    private final SageMakerClient sm;
    private final Timing timing;

    SageMakerResources(SageMakerClient sm, Timing timing) {
        this.sm = sm;
        this.timing = timing;
    }

    void ensureModel(Recorder rec, String name, String image, String modelDataUrl, Map<String, String> env,
                     String roleArn) {
        try {
            String arn = Retries.whileRoleIsPropagating(timing, SageMakerResources::roleNotReady,
                    () -> sm.createModel(r -> r.modelName(name).executionRoleArn(roleArn)
                            .primaryContainer(c -> c.image(image).modelDataUrl(modelDataUrl).environment(env))).modelArn(), rec);
            rec.created(ResourceKind.MODEL, name, arn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(ResourceKind.MODEL, name, sm.describeModel(r -> r.modelName(name)).modelArn());
        }
    }

    void ensureEndpointConfig(Recorder rec, String name, String model, String instanceType, int count,
                              int healthCheckSeconds) {
        ProductionVariant variant = ProductionVariant.builder().variantName(ResourceNames.VARIANT).modelName(model)
                .instanceType(instanceType).initialInstanceCount(count)
                .containerStartupHealthCheckTimeoutInSeconds(healthCheckSeconds).build();
        try {
            String arn = sm.createEndpointConfig(r -> r.endpointConfigName(name).productionVariants(variant))
                    .endpointConfigArn();
            rec.created(ResourceKind.ENDPOINT_CONFIG, name, arn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(ResourceKind.ENDPOINT_CONFIG, name,
                    sm.describeEndpointConfig(r -> r.endpointConfigName(name)).endpointConfigArn());
        }
    }

    void ensureEndpoint(Recorder rec, String name, String config) {
        try {
            String arn = sm.createEndpoint(r -> r.endpointName(name).endpointConfigName(config)).endpointArn();
            rec.created(ResourceKind.ENDPOINT, name, arn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(ResourceKind.ENDPOINT, name, describe(name).endpointArn());
        }
    }

    /** Polls until InService; Failed throws with SageMaker's FailureReason. Prints each status change. */
    DescribeEndpointResponse awaitInService(Recorder rec, String name) {
        Instant start = Instant.now();
        String last = null;
        while (true) {
            DescribeEndpointResponse d = describe(name);
            String status = d.endpointStatusAsString();
            long elapsed = Duration.between(start, Instant.now()).toSeconds();
            if (!status.equals(last)) rec.say(String.format("    endpoint %s: %s (%d:%02d)", name, status,
                    elapsed / 60, elapsed % 60));
            last = status;
            switch (status) {
                case "InService" -> { return d; }
                case "Failed", "OutOfService", "UpdateRollbackFailed" -> throw new IllegalStateException(
                        "endpoint " + name + " is " + status + ": " + d.failureReason()
                                + " (SageMaker only deletes a failed endpoint: clean up before deploying again)");
                default -> { }
            }
            if (Duration.between(start, Instant.now()).compareTo(timing.endpointTimeout()) > 0) {
                throw new IllegalStateException("endpoint " + name + " still " + status + " after "
                        + timing.endpointTimeout().toMinutes() + " minutes");
            }
            timing.sleep(timing.pollInterval());
        }
    }

    DescribeEndpointResponse describe(String name) {
        return sm.describeEndpoint(r -> r.endpointName(name));
    }

    Deletion deleteEndpoint(String name) {
        return Deletion.of(() -> sm.deleteEndpoint(r -> r.endpointName(name)));
    }

    Deletion deleteEndpointConfig(String name) {
        return Deletion.of(() -> sm.deleteEndpointConfig(r -> r.endpointConfigName(name)));
    }

    Deletion deleteModel(String name) {
        return Deletion.of(() -> sm.deleteModel(r -> r.modelName(name)));
    }

    private static boolean roleNotReady(RuntimeException e) {
        return AwsErrors.code(e).equals("ValidationException") && AwsErrors.message(e).contains("assume");
    }
}
