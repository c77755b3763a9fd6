package ai.peregrine.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The IAM policy documents of a deployment, each as narrow as the job allows. */
public final class Policies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {}

    /** Who may assume a role: "lambda.amazonaws.com" or "sagemaker.amazonaws.com". */
    public static String trust(String servicePrincipal) {
        return json(document(statement(null, "Allow", Map.of("Service", servicePrincipal), "sts:AssumeRole", null)));
    }

    /** The Lambda's permissions: the seed's InvokeEndpoint on this endpoint only, plus writing its own logs. */
    public static String lambdaInvoke(String region, String account, String endpoint, String function) {
        String logGroup = "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/lambda/" + function;
        return json(document(
                statement("InvokeThisEndpoint", "Allow", null, "sagemaker:InvokeEndpoint",
                        ResourceNames.endpointArn(region, account, endpoint)),
                statement("WriteOwnLogs", "Allow", null,
                        List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
                        List.of(logGroup, logGroup + ":*"))));
    }

    /**
     * What SageMaker needs to run the container: pull images from ECR, write the endpoint's logs and metrics, and
     * read the model archive when there is one.
     */
    public static String sagemakerExecution(String region, String account, String endpoint, String modelDataUrl) {
        String logGroup = "arn:aws:logs:" + region + ":" + account + ":log-group:/aws/sagemaker/Endpoints/" + endpoint;
        List<Object> statements = new java.util.ArrayList<>(List.of(
                statement("PullImages", "Allow", null, List.of("ecr:GetAuthorizationToken",
                        "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"), "*"),
                statement("WriteEndpointLogs", "Allow", null, List.of("logs:CreateLogGroup", "logs:CreateLogStream",
                        "logs:PutLogEvents", "logs:DescribeLogStreams"), List.of(logGroup, logGroup + ":*")),
                statement("PutMetrics", "Allow", null, "cloudwatch:PutMetricData", "*")));
        if (modelDataUrl != null) {
            statements.add(statement("ReadModelArchive", "Allow", null, "s3:GetObject",
                    "arn:aws:s3:::" + modelDataUrl.substring("s3://".length())));
        }
        return json(document(statements.toArray()));
    }

    private static Map<String, Object> document(Object... statements) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", List.of(statements));
        return doc;
    }

    private static Map<String, Object> statement(String sid, String effect, Object principal, Object action,
                                                 Object resource) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (sid != null) s.put("Sid", sid);
        s.put("Effect", effect);
        if (principal != null) s.put("Principal", principal);
        s.put("Action", action);
        if (resource != null) s.put("Resource", resource);
        return s;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
