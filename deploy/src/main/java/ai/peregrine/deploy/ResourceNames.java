package ai.peregrine.deploy;

/** The name of every resource of a deployment, derived from the deployment name so cleanup can find them. */
public record ResourceNames(String deployment) {
    public static final String VARIANT = "AllTraffic"; // the SageMaker Python SDK's variant name
    public static final String ROUTE_KEY = "POST /generate";
    public static final String PERMISSION_STATEMENT_ID = "apigateway-invoke-generate";

    public String model() { return deployment + "-model"; }
    public String endpointConfig() { return deployment + "-config"; }
    public String endpoint() { return deployment; }
    public String sagemakerRole() { return deployment + "-sagemaker-role"; }
    public String sagemakerRolePolicy() { return deployment + "-sagemaker-execution"; }
    public String lambdaRole() { return deployment + "-lambda-role"; }
    public String lambdaRolePolicy() { return deployment + "-invoke-endpoint"; }
    public String lambdaFunction() { return deployment + "-generate"; }
    public String api() { return deployment + "-api"; }
    public String scalingPolicy() { return deployment + "-invocations-per-instance"; }
    /** Where Lambda writes the function's logs (made by Lambda on the first invocation, not by deploy). */
    public String lambdaLogGroup() { return "/aws/lambda/" + lambdaFunction(); }
    /** Where SageMaker writes the endpoint container's logs (made by SageMaker when the container starts). */
    public String endpointLogGroup() { return "/aws/sagemaker/Endpoints/" + endpoint(); }
    /** Application Auto Scaling's id of the endpoint's variant. */
    public String scalableResourceId() { return "endpoint/" + endpoint() + "/variant/" + VARIANT; }

    public static String endpointArn(String region, String account, String endpoint) {
        // SageMaker lower-cases endpoint names in ARNs; IAM compares resource ARNs case-sensitively
        return "arn:aws:sagemaker:" + region + ":" + account + ":endpoint/" + endpoint.toLowerCase(java.util.Locale.ROOT);
    }
}
