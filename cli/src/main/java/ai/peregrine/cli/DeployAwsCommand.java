package ai.peregrine.cli;

import ai.peregrine.deploy.AwsClients;
import ai.peregrine.deploy.AwsDeployer;
import ai.peregrine.deploy.DeployResult;
import ai.peregrine.deploy.DeploySpec;
import ai.peregrine.deploy.DeploymentPlan;
import ai.peregrine.deploy.ImageChoice;
import ai.peregrine.deploy.TgiImageUris;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "aws", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a SageMaker endpoint for a Hugging Face model, a Lambda that calls it, and an API Gateway",
                "HTTP API with POST /generate; every resource is recorded in a local state file as it is created.",
                "Re-running keeps what exists. Remove everything with: ./peregrine cleanup --name NAME"})
final class DeployAwsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = "--model", required = true, paramLabel = "ORG/NAME", description = "Hugging Face model id (HF_MODEL_ID).")
    String model;

    @Option(names = "--image", defaultValue = "tgi", paramLabel = "tgi|peregrine",
            description = "Container: Hugging Face TGI on GPU (default), or Peregrine's CPU image (needs --image-uri).")
    String image;

    @Option(names = "--image-uri", paramLabel = "URI", description = "Container image URI (overrides the TGI lookup).")
    String imageUri;

    @Option(names = "--model-data-url", paramLabel = "s3://BUCKET/KEY.tar.gz",
            description = "Model archive SageMaker unpacks into /opt/ml/model (how --image peregrine gets its GGUF).")
    String modelDataUrl;

    @Option(names = "--tgi-version", defaultValue = TgiImageUris.DEFAULT_VERSION, paramLabel = "V",
            description = "TGI version of the Hugging Face image (default: ${DEFAULT-VALUE}).")
    String tgiVersion;

    @Option(names = "--instance-type", paramLabel = "TYPE",
            description = "Default: " + DeploySpec.DEFAULT_GPU_INSTANCE + " (tgi), " + DeploySpec.DEFAULT_CPU_INSTANCE + " (peregrine).")
    String instanceType;

    @Option(names = "--instance-count", defaultValue = "1", paramLabel = "N", description = "Instances behind the endpoint.")
    int instanceCount;

    @Option(names = "--num-gpus", defaultValue = "1", paramLabel = "N", description = "SM_NUM_GPUS (TGI shards).")
    int numGpus;

    @Option(names = "--max-input-tokens", defaultValue = "1024", paramLabel = "N", description = "MAX_INPUT_TOKENS.")
    int maxInputTokens;

    @Option(names = "--max-total-tokens", defaultValue = "2048", paramLabel = "N", description = "MAX_TOTAL_TOKENS.")
    int maxTotalTokens;

    @Option(names = "--health-check-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "Container startup health-check timeout, 60..3600 (default: ${DEFAULT-VALUE}).")
    int healthCheckTimeout;

    @Option(names = "--name", paramLabel = "NAME", description = "Deployment and endpoint name (default: from the model id).")
    String name;

    @Option(names = "--execution-role-arn", paramLabel = "ARN",
            description = "Use this SageMaker execution role instead of creating one.")
    String executionRoleArn;

    @Option(names = "--lambda-jar", paramLabel = "FILE", description = "The Lambda's code (default: lambda/target/peregrine-lambda.jar).")
    Path lambdaJar;

    @Option(names = "--lambda-handler", defaultValue = DeploySpec.DEFAULT_LAMBDA_HANDLER, paramLabel = "CLASS::METHOD")
    String lambdaHandler;

    @Option(names = "--lambda-runtime", defaultValue = DeploySpec.DEFAULT_LAMBDA_RUNTIME, paramLabel = "RUNTIME")
    String lambdaRuntime;

    @Option(names = "--autoscale-max", paramLabel = "N",
            description = "Enable autoscaling of the endpoint between --instance-count and N instances.")
    Integer autoscaleMax;

    @Option(names = "--autoscale-target", defaultValue = "100", paramLabel = "INVOCATIONS",
            description = "Target invocations per instance per minute (default: ${DEFAULT-VALUE}).")
    double autoscaleTarget;

    @Option(names = "--dry-run", description = "Print the plan and call nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DeploySpec deploySpec = deploySpec();
        if (dryRun) {
            out.print(DeploymentPlan.of(deploySpec, DeploymentPlan.ACCOUNT_PLACEHOLDER).render());
            out.println("Dry run: nothing was created. State would be recorded in "
                    + aws.store().pathOf(deploySpec.name()));
            out.flush();
            return 0;
        }
        try (AwsClients clients = aws.clients(deploySpec.region())) {
            DeployResult result = new AwsDeployer(clients, aws.store(), aws.timing(), line -> {
                out.println(line);
                out.flush();
            }).deploy(deploySpec);
            out.println();
            out.println("Endpoint " + deploySpec.name() + " is InService. Invoke URL:");
            out.println("  " + result.invokeUrl());
            out.println("Try it:");
            out.println("  " + result.curl());
            out.println("It costs money while it runs; remove it with: ./peregrine cleanup --name " + deploySpec.name());
            out.flush();
        }
        return 0;
    }

    private DeploySpec deploySpec() {
        ImageChoice choice = switch (image.toLowerCase(java.util.Locale.ROOT)) {
            case "tgi" -> ImageChoice.TGI;
            case "peregrine" -> ImageChoice.PEREGRINE;
            default -> throw new IllegalArgumentException("--image must be tgi or peregrine, not " + image);
        };
        String type = instanceType != null ? instanceType
                : choice == ImageChoice.TGI ? DeploySpec.DEFAULT_GPU_INSTANCE : DeploySpec.DEFAULT_CPU_INSTANCE;
        DeploySpec.Autoscaling scaling = autoscaleMax == null ? null
                : new DeploySpec.Autoscaling(instanceCount, autoscaleMax, autoscaleTarget);
        if (scaling != null && autoscaleMax < instanceCount) {
            throw new IllegalArgumentException("--autoscale-max must be at least --instance-count");
        }
        return new DeploySpec(name != null ? name : DeploySpec.nameFor(model), aws.region(null), model, choice,
                tgiVersion, imageUri, modelDataUrl, type, instanceCount, choice == ImageChoice.TGI ? numGpus : 0, maxInputTokens,
                maxTotalTokens, healthCheckTimeout, executionRoleArn, lambdaJar != null ? lambdaJar : defaultLambdaJar(),
                lambdaHandler, lambdaRuntime, scaling);
    }

    /** lambda/target/peregrine-lambda.jar under the working directory, else under the checkout this CLI runs from. */
    static Path defaultLambdaJar() {
        Path relative = Path.of("lambda", "target", "peregrine-lambda.jar");
        if (Files.exists(relative)) return relative;
        try {
            Path cliJar = Path.of(DeployAwsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = cliJar.getParent() != null && cliJar.getParent().getParent() != null
                    ? cliJar.getParent().getParent().getParent() : null; // cli/target/x.jar → checkout root
            if (root != null && Files.exists(root.resolve(relative))) return root.resolve(relative);
        } catch (Exception ignored) {
            // no code source (unusual class loader): keep the relative path
        }
        return relative;
    }
}
