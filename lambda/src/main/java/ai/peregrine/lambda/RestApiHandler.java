package ai.peregrine.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/** Handler for API Gateway REST API proxy events (payload format 1.0): {@code ai.peregrine.lambda.RestApiHandler::handleRequest}. */
public final class RestApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final GenerateFunction function;

    public RestApiHandler() {
        this(new GenerateFunction(LambdaConfig.fromEnvironment(System.getenv())));
    }

    public RestApiHandler(GenerateFunction function) {
        this.function = function;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        boolean base64 = Boolean.TRUE.equals(event.getIsBase64Encoded());
        Reply r = function.handle(event.getBody(), base64, context.getAwsRequestId(), context.getLogger());
        return new APIGatewayProxyResponseEvent().withStatusCode(r.statusCode()).withHeaders(r.headers())
                .withBody(r.body()).withIsBase64Encoded(false);
    }
}
