package ai.peregrine.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.helidon.webserver.http.ServerRequest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The REST API proxy event (payload 1.0) API Gateway would send the function for a request. */
final class LambdaEvents {
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private LambdaEvents() {}

    static APIGatewayProxyRequestEvent restEvent(ServerRequest req, String body, String requestId, String keyId) {
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> {
            if (!h.name().equalsIgnoreCase("X-Api-Key")) headers.put(h.name(), h.get());
        });
        String path = req.path().path();
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                .withSourceIp(req.remotePeer().host()).withApiKey(keyId);
        identity.setUserAgent(headers.getOrDefault("User-Agent", null));
        ZonedDateTime now = ZonedDateTime.now();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId).withHttpMethod(req.prologue().method().text()).withPath(path)
                .withResourcePath(path).withStage("local").withAccountId("000000000000").withApiId("local")
                .withIdentity(identity).withProtocol("HTTP/1.1");
        context.setRequestTimeEpoch(now.toInstant().toEpochMilli());
        context.setRequestTime(REQUEST_TIME.format(now));
        return new APIGatewayProxyRequestEvent().withResource(path).withPath(path)
                .withHttpMethod(req.prologue().method().text()).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).withRequestContext(context);
    }
}
