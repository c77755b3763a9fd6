package ai.peregrine.deploy;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Classifies AWS errors by their codes (each service spells "not found" and "exists" its own way). */
public final class AwsErrors {
    private static final Set<String> NOT_FOUND = Set.of("ResourceNotFoundException", "NoSuchEntity",
            "NotFoundException", "ObjectNotFoundException");
    private static final Set<String> EXISTS = Set.of("EntityAlreadyExists", "ResourceConflictException",
            "ConflictException");

    private AwsErrors() {}

    public static String code(Throwable e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null ? a.awsErrorDetails().errorCode() : "";
    }

    public static String message(Throwable e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
    }

    /** SageMaker answers ValidationException "Could not find endpoint ..." for a missing resource. */
    public static boolean isNotFound(Throwable e) {
        String code = code(e);
        return NOT_FOUND.contains(code) || code.equals("ValidationException") && message(e).startsWith("Could not find");
    }

    /** SageMaker answers ValidationException "Cannot create already existing model ..." for a duplicate. */
    public static boolean isAlreadyExists(Throwable e) {
        String code = code(e);
        return EXISTS.contains(code) || code.equals("ValidationException") && message(e).contains("already existing");
    }

    /** One line a person can act on: missing credentials or region say how to configure them. */
    public static String describe(Throwable e) {
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
            return "no AWS credentials found: run 'aws configure' (or 'aws sso login'), or set AWS_PROFILE, or"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("Unable to load region")) {
            return "no AWS region: pass --region, or set AWS_REGION, or run 'aws configure'";
        }
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().serviceName() + " " + code(e) + ": " + message(e);
        }
        return String.valueOf(e.getMessage());
    }
}
