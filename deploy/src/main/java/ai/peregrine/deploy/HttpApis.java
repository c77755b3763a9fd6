package ai.peregrine.deploy;

import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.GetApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** The HTTP API in front of the Lambda: {@code POST /generate} on the auto-deployed {@code $default} stage. */
final class HttpApis {
    static final String STAGE = "$default";
    private final ApiGatewayV2Client api;

    HttpApis(ApiGatewayV2Client api) {
        this.api = api;
    }

    /**
     * API names are not unique in API Gateway, so an API is found again only through the state file. Returns
     * the API's base URL; fills in the integration, route and stage a previous run may not have reached.
     */
    String ensureApi(Recorder rec, String name, String functionArn) {
        String apiId = rec.state().find(ResourceKind.HTTP_API).map(RecordedResource::id).orElse(null);
        String endpoint = apiId == null ? null : endpointOf(apiId);
        if (endpoint != null) {
            rec.existing(ResourceKind.HTTP_API, apiId, endpoint);
        } else {
            var created = api.createApi(r -> r.name(name).protocolType(ProtocolType.HTTP)
                    .description("Peregrine: POST /generate → Lambda → SageMaker endpoint"));
            apiId = created.apiId();
            endpoint = created.apiEndpoint();
            rec.created(ResourceKind.HTTP_API, apiId, endpoint);
        }
        String id = apiId;
        boolean hasRoute = api.getRoutes(r -> r.apiId(id)).items().stream()
                .anyMatch(route -> route.routeKey().equals(ResourceNames.ROUTE_KEY));
        if (!hasRoute) {
            String integrationId = api.createIntegration(r -> r.apiId(id).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(functionArn).payloadFormatVersion("2.0").timeoutInMillis(30_000)).integrationId();
            api.createRoute(r -> r.apiId(id).routeKey(ResourceNames.ROUTE_KEY).target("integrations/" + integrationId));
        }
        boolean hasStage = api.getStages(r -> r.apiId(id)).items().stream().anyMatch(s -> s.stageName().equals(STAGE));
        if (!hasStage) api.createStage(r -> r.apiId(id).stageName(STAGE).autoDeploy(true));
        return endpoint;
    }

    /** The API's base URL, or null when it no longer exists. */
    String endpointOf(String apiId) {
        try {
            GetApiResponse got = api.getApi(r -> r.apiId(apiId));
            return got.apiEndpoint();
        } catch (RuntimeException e) {
            if (AwsErrors.isNotFound(e)) return null;
            throw e;
        }
    }

    /** Deleting the API deletes its integration, route and stage with it. */
    Deletion delete(String apiId) {
        return Deletion.of(() -> api.deleteApi(r -> r.apiId(apiId)));
    }
}
