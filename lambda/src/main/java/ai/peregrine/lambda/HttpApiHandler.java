package ai.peregrine.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Handler for API Gateway HTTP API events (payload format 2.0): {@code ai.peregrine.lambda.HttpApiHandler::handleRequest}. */
public final class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final GenerateFunction function;

    /** The constructor Lambda calls: settings from the environment, one client per execution environment. */
    public HttpApiHandler() {
        this(new GenerateFunction(LambdaConfig.fromEnvironment(System.getenv())));
    }

    public HttpApiHandler(GenerateFunction function) {
        this.function = function;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Reply r = function.handle(event.getBody(), event.getIsBase64Encoded(), context.getAwsRequestId(), context.getLogger());
        return APIGatewayV2HTTPResponse.builder().withStatusCode(r.statusCode()).withHeaders(r.headers())
                .withBody(r.body()).withIsBase64Encoded(false).build();
    }
}
