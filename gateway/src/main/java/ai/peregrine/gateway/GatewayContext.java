package ai.peregrine.gateway;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/** The Lambda context the gateway hands the in-process handler: the request id, and a logger to the gateway's log. */
final class GatewayContext implements Context {
    private static final Logger LOG = Logger.getLogger("ai.peregrine.lambda");
    private static final LambdaLogger LOGGER = new LambdaLogger() {
        @Override public void log(String message) { LOG.info(message.strip()); }
        @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
    };

    private final String requestId;
    private final long deadlineMillis;

    GatewayContext(String requestId, long deadlineMillis) {
        this.requestId = requestId;
        this.deadlineMillis = deadlineMillis;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/peregrine/gateway"; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return "peregrine-local"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:peregrine-local"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 1024; }
    @Override public LambdaLogger getLogger() { return LOGGER; }
}
