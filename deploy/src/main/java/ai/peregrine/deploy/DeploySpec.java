package ai.peregrine.deploy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the user asked to deploy. {@code imageUri}, {@code modelDataUrl}, {@code executionRoleArn} and
 * {@code autoscaling} may be null: the TGI image is then looked up for the region, no model archive is unpacked
 * into /opt/ml/model (TGI downloads HF_MODEL_ID itself), a SageMaker execution role is created, and the endpoint
 * keeps a fixed instance count.
 */
public record DeploySpec(
        String name,
        String region,
        String modelId,
        ImageChoice image,
        String tgiVersion,
        String imageUri,
        String modelDataUrl,
        String instanceType,
        int instanceCount,
        int numGpus,
        int maxInputTokens,
        int maxTotalTokens,
        int startupHealthCheckTimeoutSeconds,
        String executionRoleArn,
        Path lambdaJar,
        String lambdaHandler,
        String lambdaRuntime,
        Autoscaling autoscaling) {

    /** Target tracking on SageMakerVariantInvocationsPerInstance between min and max instances. */
    public record Autoscaling(int minInstances, int maxInstances, double invocationsPerInstance) {}

    public static final String DEFAULT_GPU_INSTANCE = "ml.g5.2xlarge";
    public static final String DEFAULT_CPU_INSTANCE = "ml.c5.4xlarge";
    public static final String DEFAULT_LAMBDA_HANDLER = "ai.peregrine.lambda.HttpApiHandler::handleRequest";
    public static final String DEFAULT_LAMBDA_RUNTIME = "java21"; // the lambda module compiles for release 21
    private static final int MAX_NAME_LENGTH = 40; // leaves room for suffixes under SageMaker's and IAM's 63/64

    public DeploySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(image, "image");
        if (!name.matches("[a-zA-Z0-9](-*[a-zA-Z0-9])*") || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("deployment name '" + name + "' must be letters, digits and single"
                    + " hyphens, at most " + MAX_NAME_LENGTH + " characters");
        }
        if (instanceCount < 1) throw new IllegalArgumentException("--instance-count must be at least 1");
        if (startupHealthCheckTimeoutSeconds < 60 || startupHealthCheckTimeoutSeconds > 3600) {
            throw new IllegalArgumentException("container startup health-check timeout must be 60..3600 s");
        }
        if (modelDataUrl != null && !modelDataUrl.matches("s3://[^/]+/.+")) {
            throw new IllegalArgumentException("--model-data-url must be s3://BUCKET/KEY (a .tar.gz), not " + modelDataUrl);
        }
        if (maxInputTokens >= maxTotalTokens) {
            throw new IllegalArgumentException("MAX_INPUT_TOKENS must be below MAX_TOTAL_TOKENS");
        }
    }

    /** The seed's Falcon deployment: TGI 0.8.2 on one ml.g5.2xlarge, 1 GPU, 300 s startup health check. */
    public static DeploySpec defaults(String name, String region, String modelId, Path lambdaJar) {
        return new DeploySpec(name, region, modelId, ImageChoice.TGI, TgiImageUris.DEFAULT_VERSION, null, null,
                DEFAULT_GPU_INSTANCE, 1, 1, 1024, 2048, 300, null, lambdaJar, DEFAULT_LAMBDA_HANDLER,
                DEFAULT_LAMBDA_RUNTIME, null);
    }

    /** A deployment name from a model id: "tiiuae/falcon-7b-instruct" becomes "falcon-7b-instruct". */
    public static String nameFor(String modelId) {
        String base = modelId.substring(modelId.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) base = "model";
        return base.length() > MAX_NAME_LENGTH ? base.substring(0, MAX_NAME_LENGTH).replaceAll("-+$", "") : base;
    }

    public DeploySpec withRegion(String newRegion) {
        return new DeploySpec(name, newRegion, modelId, image, tgiVersion, imageUri, modelDataUrl, instanceType, instanceCount,
                numGpus, maxInputTokens, maxTotalTokens, startupHealthCheckTimeoutSeconds, executionRoleArn,
                lambdaJar, lambdaHandler, lambdaRuntime, autoscaling);
    }

    public DeploySpec withAutoscaling(Autoscaling scaling) {
        return new DeploySpec(name, region, modelId, image, tgiVersion, imageUri, modelDataUrl, instanceType, instanceCount,
                numGpus, maxInputTokens, maxTotalTokens, startupHealthCheckTimeoutSeconds, executionRoleArn,
                lambdaJar, lambdaHandler, lambdaRuntime, scaling);
    }

    public DeploySpec withExecutionRoleArn(String arn) {
        return new DeploySpec(name, region, modelId, image, tgiVersion, imageUri, modelDataUrl, instanceType, instanceCount,
                numGpus, maxInputTokens, maxTotalTokens, startupHealthCheckTimeoutSeconds, arn,
                lambdaJar, lambdaHandler, lambdaRuntime, autoscaling);
    }

    /** The container image URI the model runs. */
    public String resolvedImageUri() {
        if (imageUri != null) return imageUri;
        if (image == ImageChoice.PEREGRINE) {
            throw new IllegalArgumentException("--image peregrine needs --image-uri: the Peregrine image pushed to"
                    + " ECR (see README, 'Peregrine's container image')");
        }
        return TgiImageUris.uri(region, tgiVersion);
    }
}
