package ai.peregrine.cli;

import ai.peregrine.deploy.DeployResult;
import ai.peregrine.deploy.LocalDeployer;
import ai.peregrine.deploy.LocalRuntime;
import ai.peregrine.deploy.SamplePayload;
import ai.peregrine.deploy.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Try the deploy flow without AWS: check that a running ./peregrine serve has the endpoint",
                "(its SageMaker Runtime routes) and gateway (POST /generate), and record it like an AWS deployment,",
                "so status, invoke and cleanup work on it."})
final class DeployLocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_ID", description = "The served model's id.")
    String model;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Endpoint name as serve named it (default: from the model id, as serve derives it).")
    String name;

    @Option(names = "--runtime-url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "serve's port (default: ${DEFAULT-VALUE}).")
    String runtimeUrl;

    @Option(names = "--gateway-url", defaultValue = "http://127.0.0.1:3000", paramLabel = "URL",
            description = "serve's gateway port (default: ${DEFAULT-VALUE}).")
    String gatewayUrl;

    @Option(names = "--api-key", paramLabel = "KEY", description = "A key serve's gateway accepts, for the printed curl.")
    String apiKey;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where deployment state files live (default: $PEREGRINE_STATE_DIR, else ~/.peregrine/deployments).")
    Path stateDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StateStore store = stateDir != null ? new StateStore(stateDir) : StateStore.defaultStore();
        String endpoint = name != null ? name : endpointNameFor(model);
        DeployResult result = new LocalDeployer(store, new LocalRuntime(), line -> {
            out.println(line);
            out.flush();
        }).deploy(new LocalDeployer.Spec(endpoint, model, runtimeUrl, gatewayUrl));
        out.println();
        out.println("Local endpoint " + endpoint + " is up. Invoke URL:");
        out.println("  " + result.invokeUrl());
        out.println("Try it:");
        out.println("  " + SamplePayload.curl(result.invokeUrl(), apiKey));
        out.println("Nothing runs in AWS; forget the record with: ./peregrine cleanup --name " + endpoint);
        out.flush();
        return 0;
    }

    /** The name serve gives the endpoint of a model id (SageMakerEndpoint.forModel): other characters become dashes. */
    static String endpointNameFor(String modelId) {
        String n = modelId.replaceAll("[^a-zA-Z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (n.length() > 63) n = n.substring(0, 63).replaceAll("-+$", "");
        return n.isEmpty() ? "peregrine" : n;
    }
}
