package ai.peregrine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A local double of the AWS APIs a deployment uses, speaking each one's wire protocol to the real SDK clients:
 * SageMaker, Application Auto Scaling and CloudWatch Logs (JSON 1.1, X-Amz-Target), IAM and STS (query, XML answers), Lambda and
 * API Gateway v2 (REST-JSON), SageMaker Runtime (REST). Endpoints go Creating → InService (or Failed); any
 * operation can be made to throttle once or fail; deleting something missing answers each service's not-found.
 * Log groups appear as the services make them: an endpoint's when its container starts (it settles, either way), a
 * function's when it is created (Lambda makes it on the first invocation, which this double does not run).
 */
public final class FakeAws implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every call, as "Service.Operation", in arrival order (throttled attempts included). */
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> roles = new LinkedHashMap<>();                 // name → arn
    final Map<String, Map<String, String>> rolePolicies = new LinkedHashMap<>(); // role → policy → document
    final Map<String, JsonNode> models = new LinkedHashMap<>();
    final Map<String, JsonNode> endpointConfigs = new LinkedHashMap<>();
    final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    final Map<String, Function> functions = new LinkedHashMap<>();
    final Map<String, Api> apis = new LinkedHashMap<>();
    final Set<String> scalableTargets = new HashSet<>();
    final Set<String> scalingPolicies = new HashSet<>();
    final Set<String> logGroups = new HashSet<>();

    /** Operations that answer a throttling error once, then work. */
    final Set<String> throttleOnce = Collections.synchronizedSet(new HashSet<>());
    /** Operations that fail with ValidationException / InvalidParameterValueException until removed. */
    final Map<String, String> failing = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Describes an endpoint answers Creating before it settles. */
    volatile int creatingDescribes = 2;
    /** When set, new endpoints settle as Failed with this FailureReason. */
    public volatile String endpointFailureReason;
    /** Lambda answers "role cannot be assumed" this many times after a role is created (IAM propagation). */
    volatile int rolePropagationFailures = 1;

    static final class Endpoint {
        String config;
        String status = "Creating";
        int describes;
        int instances;
    }

    static final class Function {
        String arn;
        JsonNode config;
        int gets;
        final Map<String, String> permissions = new LinkedHashMap<>(); // statement id → source arn
    }

    static final class Api {
        String id;
        String name;
        final List<Map<String, Object>> integrations = new ArrayList<>();
        final List<Map<String, Object>> routes = new ArrayList<>();
        final List<Map<String, Object>> stages = new ArrayList<>();
    }

    private final HttpServer server;
    private int pendingPropagationFailures;
    private int nextId = 1;

    public FakeAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<String> callsOf(String service) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(service + ".")).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String path = ex.getRequestURI().getRawPath();
            Reply reply;
            synchronized (this) {
                if (target != null && target.startsWith("SageMaker.")) {
                    reply = json11("SageMaker", target.substring(10), body, this::sageMaker);
                } else if (target != null && target.startsWith("Logs_20140328.")) {
                    reply = json11("CloudWatchLogs", target.substring(14), body, this::logs);
                } else if (target != null && target.startsWith("AnyScaleFrontendService.")) {
                    reply = json11("ApplicationAutoScaling", target.substring(24), body, this::autoScaling);
                } else if (path.startsWith("/2015-03-31/functions")) {
                    reply = lambda(ex.getRequestMethod(), path, body);
                } else if (path.startsWith("/v2/apis")) {
                    reply = apiGateway(ex.getRequestMethod(), path, body);
                } else if (path.startsWith("/endpoints/")) {
                    reply = runtime(path);
                } else {
                    reply = query(form(new String(body, StandardCharsets.UTF_8)));
                }
            }
            ex.getResponseHeaders().add("Content-Type", reply.contentType);
            ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + System.nanoTime());
            if (reply.errorType != null) ex.getResponseHeaders().add("x-amzn-ErrorType", reply.errorType);
            byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(reply.status, reply.status == 204 ? -1 : out.length);
            if (reply.status != 204) ex.getResponseBody().write(out);
        }
    }

    private record Reply(int status, String contentType, String body, String errorType) {}

    private boolean throttled(String call) {
        calls.add(call);
        return throttleOnce.remove(call);
    }

    // ---------------------------------------------------------------- JSON 1.1 services

    private interface JsonOp {
        Object apply(String op, JsonNode in) throws AwsError;
    }

    private static final class AwsError extends Exception {
        final int status;
        final String code;

        AwsError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private Reply json11(String service, String op, byte[] body, JsonOp handler) throws IOException {
        String type = "application/x-amz-json-1.1";
        if (throttled(service + "." + op)) {
            return new Reply(400, type, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", null);
        }
        try {
            injected(service + "." + op, "ValidationException");
            return new Reply(200, type, JSON.writeValueAsString(handler.apply(op, JSON.readTree(body))), null);
        } catch (AwsError e) {
            return new Reply(e.status, type, JSON.writeValueAsString(Map.of("__type", e.code, "message", e.getMessage())), null);
        }
    }

    private void injected(String call, String code) throws AwsError {
        String message = failing.get(call);
        if (message != null) throw new AwsError(400, code, message);
    }

    private Object sageMaker(String op, JsonNode in) throws AwsError {
        String arnBase = "arn:aws:sagemaker:" + REGION + ":" + ACCOUNT + ":";
        switch (op) {
            case "CreateModel" -> {
                String name = in.path("ModelName").asText();
                if (models.containsKey(name)) throw exists("model", arnBase + "model/" + name);
                models.put(name, in);
                return Map.of("ModelArn", arnBase + "model/" + name);
            }
            case "DescribeModel" -> {
                String name = in.path("ModelName").asText();
                if (!models.containsKey(name)) throw notFound("model", arnBase + "model/" + name);
                return Map.of("ModelName", name, "ModelArn", arnBase + "model/" + name, "CreationTime", 1.7e9);
            }
            case "DeleteModel" -> {
                if (models.remove(in.path("ModelName").asText()) == null) {
                    throw notFound("model", arnBase + "model/" + in.path("ModelName").asText());
                }
                return Map.of();
            }
            case "CreateEndpointConfig" -> {
                String name = in.path("EndpointConfigName").asText();
                if (endpointConfigs.containsKey(name)) throw exists("endpoint configuration", arnBase + "endpoint-config/" + name);
                if (!models.containsKey(in.path("ProductionVariants").path(0).path("ModelName").asText())) {
                    throw new AwsError(400, "ValidationException", "Could not find model.");
                }
                endpointConfigs.put(name, in);
                return Map.of("EndpointConfigArn", arnBase + "endpoint-config/" + name);
            }
            case "DescribeEndpointConfig" -> {
                String name = in.path("EndpointConfigName").asText();
                if (!endpointConfigs.containsKey(name)) throw notFound("endpoint configuration", arnBase + "endpoint-config/" + name);
                return Map.of("EndpointConfigName", name, "EndpointConfigArn", arnBase + "endpoint-config/" + name,
                        "CreationTime", 1.7e9, "ProductionVariants", List.of());
            }
            case "DeleteEndpointConfig" -> {
                String name = in.path("EndpointConfigName").asText();
                if (endpointConfigs.remove(name) == null) throw notFound("endpoint configuration", arnBase + "endpoint-config/" + name);
                return Map.of();
            }
            case "CreateEndpoint" -> {
                String name = in.path("EndpointName").asText();
                if (endpoints.containsKey(name)) throw exists("endpoint", arnBase + "endpoint/" + name);
                JsonNode config = endpointConfigs.get(in.path("EndpointConfigName").asText());
                if (config == null) throw new AwsError(400, "ValidationException", "Could not find endpoint configuration.");
                Endpoint e = new Endpoint();
                e.config = in.path("EndpointConfigName").asText();
                e.instances = config.path("ProductionVariants").path(0).path("InitialInstanceCount").asInt();
                endpoints.put(name, e);
                return Map.of("EndpointArn", arnBase + "endpoint/" + name);
            }
            case "DescribeEndpoint" -> {
                String name = in.path("EndpointName").asText();
                Endpoint e = endpoints.get(name);
                if (e == null) throw new AwsError(400, "ValidationException", "Could not find endpoint \"" + name + "\".");
                if (e.status.equals("Creating") && ++e.describes > creatingDescribes) {
                    e.status = endpointFailureReason == null ? "InService" : "Failed";
                    logGroups.add("/aws/sagemaker/Endpoints/" + name);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("EndpointName", name);
                out.put("EndpointArn", arnBase + "endpoint/" + name);
                out.put("EndpointConfigName", e.config);
                out.put("EndpointStatus", e.status);
                if (e.status.equals("Failed")) out.put("FailureReason", endpointFailureReason);
                out.put("CreationTime", 1.7e9);
                out.put("LastModifiedTime", 1.7e9);
                if (e.status.equals("InService")) {
                    out.put("ProductionVariants", List.of(Map.of("VariantName", "AllTraffic",
                            "CurrentInstanceCount", e.instances, "DesiredInstanceCount", e.instances)));
                }
                return out;
            }
            case "DeleteEndpoint" -> {
                String name = in.path("EndpointName").asText();
                if (endpoints.remove(name) == null) throw new AwsError(400, "ValidationException", "Could not find endpoint \"" + name + "\".");
                return Map.of();
            }
            default -> throw new AwsError(400, "UnknownOperationException", op);
        }
    }

    private Object logs(String op, JsonNode in) throws AwsError {
        if (!op.equals("DeleteLogGroup")) throw new AwsError(400, "UnknownOperationException", op);
        if (!logGroups.remove(in.path("logGroupName").asText())) {
            throw new AwsError(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        return Map.of();
    }

    private static AwsError exists(String what, String arn) {
        return new AwsError(400, "ValidationException", "Cannot create already existing " + what + " \"" + arn + "\".");
    }

    private static AwsError notFound(String what, String arn) {
        return new AwsError(400, "ValidationException", "Could not find " + what + " \"" + arn + "\".");
    }

    private Object autoScaling(String op, JsonNode in) throws AwsError {
        String id = in.path("ResourceId").asText();
        switch (op) {
            case "RegisterScalableTarget" -> {
                if (!endpoints.containsKey(id.split("/")[1])) throw new AwsError(400, "ValidationException", "endpoint not found");
                scalableTargets.add(id);
                return Map.of("ScalableTargetARN", "arn:aws:application-autoscaling:" + REGION + ":" + ACCOUNT
                        + ":scalable-target/" + id.hashCode());
            }
            case "PutScalingPolicy" -> {
                if (!scalableTargets.contains(id)) throw new AwsError(400, "ObjectNotFoundException", "No scalable target registered");
                scalingPolicies.add(in.path("PolicyName").asText());
                return Map.of("PolicyARN", "arn:aws:autoscaling:" + REGION + ":" + ACCOUNT + ":scalingPolicy:x:policyName/"
                        + in.path("PolicyName").asText(), "Alarms", List.of());
            }
            case "DeleteScalingPolicy" -> {
                if (!scalingPolicies.remove(in.path("PolicyName").asText())) {
                    throw new AwsError(400, "ObjectNotFoundException", "No scaling policy found for service namespace: sagemaker");
                }
                return Map.of();
            }
            case "DeregisterScalableTarget" -> {
                if (!scalableTargets.remove(id)) throw new AwsError(400, "ObjectNotFoundException", "No scalable target found");
                return Map.of();
            }
            default -> throw new AwsError(400, "UnknownOperationException", op);
        }
    }

    // ---------------------------------------------------------------- IAM and STS (query protocol)

    private Reply query(Map<String, String> form) {
        String action = form.getOrDefault("Action", "");
        boolean sts = action.equals("GetCallerIdentity");
        String service = sts ? "STS" : "IAM";
        String ns = sts ? "https://sts.amazonaws.com/doc/2011-06-15/" : "https://iam.amazonaws.com/doc/2010-05-08/";
        if (throttled(service + "." + action)) return xmlError(400, "Throttling", "Rate exceeded");
        String role = form.get("RoleName");
        String result;
        switch (action) {
            case "GetCallerIdentity" -> result = "<Arn>arn:aws:iam::" + ACCOUNT + ":user/dev</Arn><UserId>AIDAEXAMPLE</UserId>"
                    + "<Account>" + ACCOUNT + "</Account>";
            case "CreateRole" -> {
                if (roles.containsKey(role)) return xmlError(409, "EntityAlreadyExists", "Role with name " + role + " already exists.");
                roles.put(role, "arn:aws:iam::" + ACCOUNT + ":role/" + role);
                rolePolicies.put(role, new LinkedHashMap<>());
                pendingPropagationFailures = rolePropagationFailures;
                result = roleXml(role);
            }
            case "GetRole" -> {
                if (!roles.containsKey(role)) return noSuchRole(role);
                result = roleXml(role);
            }
            case "PutRolePolicy" -> {
                if (!roles.containsKey(role)) return noSuchRole(role);
                rolePolicies.get(role).put(form.get("PolicyName"), form.get("PolicyDocument"));
                result = "";
            }
            case "DeleteRolePolicy" -> {
                if (!roles.containsKey(role)) return noSuchRole(role);
                if (rolePolicies.get(role).remove(form.get("PolicyName")) == null) {
                    return xmlError(404, "NoSuchEntity", "The role policy with name " + form.get("PolicyName") + " cannot be found.");
                }
                result = "";
            }
            case "DeleteRole" -> {
                if (!roles.containsKey(role)) return noSuchRole(role);
                if (!rolePolicies.get(role).isEmpty()) {
                    return xmlError(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
                }
                roles.remove(role);
                rolePolicies.remove(role);
                result = "";
            }
            default -> { return xmlError(400, "InvalidAction", action); }
        }
        String inner = result.isEmpty() ? "" : "<" + action + "Result>" + result + "</" + action + "Result>";
        return new Reply(200, "text/xml", "<" + action + "Response xmlns=\"" + ns + "\">" + inner
                + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></" + action + "Response>", null);
    }

    private String roleXml(String role) {
        return "<Role><Path>/</Path><RoleName>" + role + "</RoleName><RoleId>AROAEXAMPLE" + role.length()
                + "</RoleId><Arn>" + roles.get(role) + "</Arn><CreateDate>2026-11-28T12:00:00Z</CreateDate></Role>";
    }

    private Reply noSuchRole(String role) {
        return xmlError(404, "NoSuchEntity", "The role with name " + role + " cannot be found.");
    }

    private static Reply xmlError(int status, String code, String message) {
        return new Reply(status, "text/xml", "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>r-1</RequestId></ErrorResponse>", null);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    // ---------------------------------------------------------------- REST-JSON services

    private static Reply restError(int status, String type, String message) throws IOException {
        return new Reply(status, "application/json", JSON.writeValueAsString(Map.of("Type", "User", "message", message,
                "Message", message)), type);
    }

    private static Reply restOk(int status, Object body) throws IOException {
        return new Reply(status, "application/json", JSON.writeValueAsString(body), null);
    }

    private Reply lambda(String method, String path, byte[] body) throws IOException {
        String[] parts = path.substring("/2015-03-31/functions".length()).split("/");
        String name = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        String op = name == null ? "CreateFunction" : parts.length > 2 ? (method.equals("POST") ? "AddPermission"
                : "RemovePermission") : method.equals("GET") ? "GetFunction" : "DeleteFunction";
        if (throttled("Lambda." + op)) return restError(429, "TooManyRequestsException", "Rate exceeded");
        String injected = failing.get("Lambda." + op);
        if (injected != null) return restError(400, "InvalidParameterValueException", injected);
        String arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
        switch (op) {
            case "CreateFunction" -> {
                JsonNode in = JSON.readTree(body);
                String fn = in.path("FunctionName").asText();
                if (functions.containsKey(fn)) return restError(409, "ResourceConflictException", "Function already exist: " + fn);
                if (!roles.containsValue(in.path("Role").asText()) || pendingPropagationFailures > 0) {
                    pendingPropagationFailures--;
                    return restError(400, "InvalidParameterValueException",
                            "The role defined for the function cannot be assumed by Lambda.");
                }
                Function f = new Function();
                f.arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + fn;
                f.config = in;
                functions.put(fn, f);
                logGroups.add("/aws/lambda/" + fn);
                return restOk(201, configuration(f, "Pending"));
            }
            case "GetFunction" -> {
                Function f = functions.get(name);
                if (f == null) return restError(404, "ResourceNotFoundException", "Function not found: " + arn);
                return restOk(200, Map.of("Configuration", configuration(f, f.gets++ == 0 ? "Pending" : "Active")));
            }
            case "DeleteFunction" -> {
                if (functions.remove(name) == null) return restError(404, "ResourceNotFoundException", "Function not found: " + arn);
                return new Reply(204, "application/json", "", null);
            }
            case "AddPermission" -> {
                Function f = functions.get(name);
                if (f == null) return restError(404, "ResourceNotFoundException", "Function not found: " + arn);
                JsonNode in = JSON.readTree(body);
                String sid = in.path("StatementId").asText();
                if (f.permissions.containsKey(sid)) {
                    return restError(409, "ResourceConflictException", "The statement id (" + sid + ") provided already exists.");
                }
                f.permissions.put(sid, in.path("SourceArn").asText());
                return restOk(201, Map.of("Statement", JSON.writeValueAsString(Map.of("Sid", sid))));
            }
            default -> { return restError(400, "InvalidRequestContentException", op); }
        }
    }

    private static Map<String, Object> configuration(Function f, String state) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FunctionName", f.config.path("FunctionName").asText());
        c.put("FunctionArn", f.arn);
        c.put("Runtime", f.config.path("Runtime").asText());
        c.put("Role", f.config.path("Role").asText());
        c.put("Handler", f.config.path("Handler").asText());
        c.put("State", state);
        return c;
    }

    private Reply apiGateway(String method, String path, byte[] body) throws IOException {
        String[] p = path.substring(1).split("/"); // v2, apis, {id}, {sub}
        String op = p.length == 2 ? "CreateApi" : p.length == 3 ? (method.equals("GET") ? "GetApi" : "DeleteApi")
                : (method.equals("GET") ? "Get" : "Create") + switch (p[3]) {
                    case "integrations" -> "Integration";
                    case "routes" -> "Routes";
                    default -> "Stages";
                };
        if (op.equals("CreateRoutes")) op = "CreateRoute";
        if (op.equals("CreateStages")) op = "CreateStage";
        if (op.equals("GetIntegration")) op = "GetIntegrations";
        if (throttled("ApiGatewayV2." + op)) return restError(429, "TooManyRequestsException", "Too Many Requests");
        String injected = failing.get("ApiGatewayV2." + op);
        if (injected != null) return restError(400, "BadRequestException", injected);
        if (op.equals("CreateApi")) {
            Api api = new Api();
            api.id = "a" + (nextId++) + "bcdefgh";
            api.name = JSON.readTree(body).path("name").asText();
            apis.put(api.id, api);
            return restOk(201, apiJson(api));
        }
        Api api = apis.get(p[2]);
        if (api == null) {
            return restError(404, "NotFoundException", "Invalid API identifier specified " + ACCOUNT + ":" + p[2]);
        }
        JsonNode in = body.length > 0 ? JSON.readTree(body) : JSON.createObjectNode();
        switch (op) {
            case "GetApi" -> { return restOk(200, apiJson(api)); }
            case "DeleteApi" -> {
                apis.remove(api.id);
                return new Reply(204, "application/json", "", null);
            }
            case "CreateIntegration" -> {
                Map<String, Object> i = new LinkedHashMap<>(JSON.convertValue(in, Map.class));
                i.put("integrationId", "i" + (nextId++));
                api.integrations.add(i);
                return restOk(201, i);
            }
            case "CreateRoute" -> {
                Map<String, Object> r = new LinkedHashMap<>(JSON.convertValue(in, Map.class));
                r.put("routeId", "r" + (nextId++));
                api.routes.add(r);
                return restOk(201, r);
            }
            case "CreateStage" -> {
                Map<String, Object> s = new LinkedHashMap<>(JSON.convertValue(in, Map.class));
                api.stages.add(s);
                return restOk(201, s);
            }
            case "GetRoutes" -> { return restOk(200, Map.of("items", api.routes)); }
            case "GetStages" -> { return restOk(200, Map.of("items", api.stages)); }
            default -> { return restError(400, "BadRequestException", op); }
        }
    }

    private static Map<String, Object> apiJson(Api api) {
        return Map.of("apiId", api.id, "name", api.name, "protocolType", "HTTP",
                "apiEndpoint", "https://" + api.id + ".execute-api." + REGION + ".amazonaws.com");
    }

    private Reply runtime(String path) throws IOException {
        String name = path.split("/")[2];
        if (throttled("SageMakerRuntime.InvokeEndpoint")) return restError(400, "ThrottlingException", "Rate exceeded");
        Endpoint e = endpoints.get(name);
        if (e == null || !e.status.equals("InService")) {
            return restError(400, "ValidationError", "Endpoint " + name + " of account " + ACCOUNT + " not found.");
        }
        return restOk(200, List.of(Map.of("generated_text", " Munich is the capital of Bavaria.")));
    }
}
