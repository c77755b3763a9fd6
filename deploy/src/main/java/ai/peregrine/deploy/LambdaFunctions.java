package ai.peregrine.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/** The Lambda that forwards API Gateway requests to the endpoint, and API Gateway's permission to call it. */
final class LambdaFunctions {
    /** API Gateway HTTP APIs give up after 30 s; a longer Lambda timeout would only burn money. */
    static final int TIMEOUT_SECONDS = 30;
    static final int MEMORY_MB = 1024;
    private final LambdaClient lambda;
    private final Timing timing;

    LambdaFunctions(LambdaClient lambda, Timing timing) {
        this.lambda = lambda;
        this.timing = timing;
    }

    String ensureFunction(Recorder rec, String name, DeploySpec spec, String roleArn, String endpoint) {
        SdkBytes code = read(spec.lambdaJar());
        try {
            String arn = Retries.whileRoleIsPropagating(timing, LambdaFunctions::roleNotReady,
                    () -> lambda.createFunction(r -> r.functionName(name).runtime(spec.lambdaRuntime())
                            .handler(spec.lambdaHandler()).role(roleArn).code(c -> c.zipFile(code))
                            .timeout(TIMEOUT_SECONDS).memorySize(MEMORY_MB)
                            .environment(e -> e.variables(Map.of("ENDPOINT_NAME", endpoint)))).functionArn(), rec);
            rec.created(ResourceKind.LAMBDA_FUNCTION, name, arn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(ResourceKind.LAMBDA_FUNCTION, name, configuration(name).functionArn());
        }
        return awaitActive(name).functionArn();
    }

    /** A new function is Pending until Lambda has prepared it; invoking it earlier fails. */
    private FunctionConfiguration awaitActive(String name) {
        for (int i = 0; ; i++) {
            FunctionConfiguration c = configuration(name);
            String state = c.stateAsString();
            if (state == null || state.equals("Active")) return c;
            if (state.equals("Failed")) {
                throw new IllegalStateException("Lambda " + name + " failed: " + c.stateReason());
            }
            if (i > 60) throw new IllegalStateException("Lambda " + name + " still " + state);
            timing.sleep(timing.roleRetryDelay());
        }
    }

    FunctionConfiguration configuration(String name) {
        return lambda.getFunction(r -> r.functionName(name)).configuration();
    }

    void allowApiGateway(Recorder rec, String function, String sourceArn) {
        try {
            lambda.addPermission(r -> r.functionName(function).statementId(ResourceNames.PERMISSION_STATEMENT_ID)
                    .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com").sourceArn(sourceArn));
            rec.created(ResourceKind.API_INVOKE_PERMISSION, ResourceNames.PERMISSION_STATEMENT_ID, sourceArn);
        } catch (RuntimeException e) {
            if (!AwsErrors.isAlreadyExists(e)) throw e;
            rec.existing(ResourceKind.API_INVOKE_PERMISSION, ResourceNames.PERMISSION_STATEMENT_ID, sourceArn);
        }
    }

    Deletion deleteFunction(String name) {
        return Deletion.of(() -> lambda.deleteFunction(r -> r.functionName(name)));
    }

    Deletion removePermission(String function) {
        return Deletion.of(() -> lambda.removePermission(r -> r.functionName(function)
                .statementId(ResourceNames.PERMISSION_STATEMENT_ID)));
    }

    private static SdkBytes read(Path jar) {
        try {
            return SdkBytes.fromByteArray(Files.readAllBytes(jar));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Lambda jar " + jar, e);
        }
    }

    private static boolean roleNotReady(RuntimeException e) {
        return AwsErrors.code(e).equals("InvalidParameterValueException")
                && AwsErrors.message(e).contains("cannot be assumed");
    }
}
