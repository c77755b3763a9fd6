package ai.peregrine.cli;

import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.TransformerModel;
import ai.peregrine.engine.synthetic.DemoModel;
import ai.peregrine.hub.RepoId;
import ai.peregrine.server.ModelLocator;
import ai.peregrine.server.ServedEndpoints;
import ai.peregrine.server.ServedModel;
import ai.peregrine.server.ServerConfig;
import ai.peregrine.server.ServerOptions;
import ai.peregrine.server.sagemaker.SageMakerEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The models {@code serve} loads, one per SageMaker endpoint; closing unloads them all. */
final class EndpointModels implements AutoCloseable {
    /** The model an {@code --endpoint NAME=demo} names. */
    static final String DEMO = "demo";

    private final List<TransformerModel> loaded = new ArrayList<>();
    private final List<ServedEndpoints.Endpoint> endpoints = new ArrayList<>();

    /**
     * The container's model ({@code located}, else the demo model) under {@code containerName} (null: from its
     * id), then each of {@code more} (endpoint name → GGUF file, Hugging Face or GGUF directory, hub id ORG/NAME[@REV],
     * or "demo"), in the order given; {@code resolve} turns a value into a local path, fetching a hub id's snapshot
     * ({@link HubModelArgument#resolve}).
     * Extra endpoints take their model id from their hub id or file, not HF_MODEL_ID, which names the container's model.
     */
    static EndpointModels load(Optional<Path> located, String containerName, Map<String, String> more,
            ServerOptions options, LoadOptions loading, Runnable announceDemo, Function<String, Path> resolve) throws IOException {
        Map<String, SageMakerEndpoint> named = new LinkedHashMap<>();
        more.forEach((name, model) -> named.put(name, SageMakerEndpoint.named(name))); // bad names fail before loading
        EndpointModels m = new EndpointModels();
        try {
            if (located.isEmpty()) announceDemo.run();
            m.add(located, options, loading, idOf(located), config -> containerName != null
                    ? SageMakerEndpoint.named(containerName) : SageMakerEndpoint.forModel(config.modelId()));
            for (var e : more.entrySet()) {
                String value = e.getValue();
                Optional<Path> path = value.equals(DEMO) ? Optional.empty() : Optional.of(ModelLocator.ggufIn(resolve.apply(value)));
                String id = HubModelArgument.isHubId(value) ? RepoId.parse(value).id() : idOf(path);
                m.add(path, options.withModelId(id), loading, id, config -> named.get(e.getKey()));
            }
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private void add(Optional<Path> path, ServerOptions options, LoadOptions loading, String defaultId,
            Function<ServerConfig, SageMakerEndpoint> naming) throws IOException {
        TransformerModel model = path.isPresent() ? ModelLoader.load(path.get(), loading) : ModelLoader.loadDemo(LoadOptions.threads(loading.threads()).withKvCacheType(loading.kvCacheType()));
        loaded.add(model);
        ServerConfig config = options.resolve(model.config().contextLength(), defaultId);
        endpoints.add(new ServedEndpoints.Endpoint(ServedModel.of(model, config.modelId()), config, naming.apply(config)));
    }

    private static String idOf(Optional<Path> path) {
        return path.map(p -> p.getFileName().toString().replaceFirst("\\.gguf$", "")).orElse(DemoModel.NAME);
    }

    List<ServedEndpoints.Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        loaded.reversed().forEach(TransformerModel::close);
    }
}
