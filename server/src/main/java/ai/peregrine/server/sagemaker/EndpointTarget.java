package ai.peregrine.server.sagemaker;

import java.net.URI;

/** An endpoint the local runtime answers for, and the container {@code /invocations} that serves it. */
record EndpointTarget(SageMakerEndpoint endpoint, URI invocations) {}
