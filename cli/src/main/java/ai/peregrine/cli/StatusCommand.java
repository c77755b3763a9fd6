package ai.peregrine.cli;

import ai.peregrine.deploy.AwsClients;
import ai.peregrine.deploy.DeploymentState;
import ai.peregrine.deploy.DeploymentStatus;
import ai.peregrine.deploy.LocalRuntime;
import ai.peregrine.deploy.LocalStatus;
import ai.peregrine.deploy.StateStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each resource of a deployment (or of all recorded ones) and its state in AWS (or, for a local one, in serve).")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = "--name", paramLabel = "NAME", description = "Deployment name (default: every recorded deployment).")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StateStore store = aws.store();
        List<String> names = name != null ? List.of(name) : store.names();
        if (names.isEmpty()) out.println("No deployments recorded in " + store.dir());
        for (String n : names) {
            DeploymentState state = store.load(n).orElseThrow(() ->
                    new IllegalArgumentException("no deployment '" + n + "' recorded in " + store.dir()));
            if (state.isLocal()) {
                new LocalStatus(new LocalRuntime()).describe(state).forEach(out::println);
                continue;
            }
            try (AwsClients clients = aws.clients(aws.region(state.region))) {
                new DeploymentStatus(clients).describe(state).forEach(out::println);
            }
        }
        out.flush();
        return 0;
    }
}
