package ai.peregrine.deploy;

/**
 * Every kind of AWS resource a deployment creates, in creation order (cleanup runs it backwards). The log groups are
 * made by SageMaker and Lambda themselves when they first write; they are never recorded, only found by name.
 */
public enum ResourceKind {
    SAGEMAKER_ROLE("IAM role (SageMaker execution)"),
    SAGEMAKER_ROLE_POLICY("IAM inline policy (SageMaker execution)"),
    MODEL("SageMaker model"),
    ENDPOINT_CONFIG("SageMaker endpoint configuration"),
    ENDPOINT("SageMaker endpoint"),
    ENDPOINT_LOG_GROUP("CloudWatch log group (SageMaker endpoint)"),
    SCALABLE_TARGET("Auto Scaling target (endpoint variant)"),
    SCALING_POLICY("Auto Scaling policy (invocations per instance)"),
    LAMBDA_ROLE("IAM role (Lambda)"),
    LAMBDA_ROLE_POLICY("IAM inline policy (Lambda)"),
    LAMBDA_FUNCTION("Lambda function"),
    LAMBDA_LOG_GROUP("CloudWatch log group (Lambda)"),
    HTTP_API("API Gateway HTTP API (POST /generate)"),
    API_INVOKE_PERMISSION("Lambda permission for API Gateway");

    private final String label;

    ResourceKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
