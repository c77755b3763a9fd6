package ai.peregrine.server;

import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Several models as several SageMaker endpoints in one process. The first is the container (TGI routes,
 * {@code /ping}, {@code /invocations} on the configured port), as SageMaker runs one model per container; each
 * further model runs its own {@link PeregrineServer} on an ephemeral loopback port, and the first server's
 * runtime routes relay {@code /endpoints/{name}/...} to it by name. Closing stops them all; the models stay open.
 */
public final class ServedEndpoints implements AutoCloseable {
    /** One model to serve, the limits it runs with, and the endpoint name it answers to. */
    public record Endpoint(ServedModel served, ServerConfig config, SageMakerEndpoint endpoint) {}

    private final List<PeregrineServer> servers;

    private ServedEndpoints(List<PeregrineServer> servers) {
        this.servers = servers;
    }

    public static ServedEndpoints start(List<Endpoint> endpoints) {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no model to serve");
        Set<String> names = new HashSet<>();
        for (Endpoint e : endpoints) {
            if (!names.add(e.endpoint().name())) {
                throw new IllegalArgumentException("endpoint name " + e.endpoint().name() + " is given twice");
            }
        }
        List<PeregrineServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < endpoints.size(); i++) {
                Endpoint e = endpoints.get(i);
                ServerConfig config = i == 0 ? e.config() : e.config().withAddress("127.0.0.1", 0);
                started.add(PeregrineServer.start(e.served(), config, e.endpoint()));
            }
            PeregrineServer container = started.getFirst();
            for (PeregrineServer other : started.subList(1, started.size())) container.routeEndpointTo(other);
            return new ServedEndpoints(List.copyOf(started));
        } catch (RuntimeException e) {
            started.reversed().forEach(PeregrineServer::close);
            throw e;
        }
    }

    /** The first model's server: the one on the configured port, answering for every endpoint. */
    public PeregrineServer container() {
        return servers.getFirst();
    }

    public List<PeregrineServer> servers() {
        return servers;
    }

    @Override
    public void close() {
        // the container first, so no request is relayed to an endpoint that has stopped
        for (PeregrineServer s : servers) s.close();
    }
}
