package ai.peregrine.cli;

import ai.peregrine.deploy.AwsCleaner;
import ai.peregrine.deploy.AwsClients;
import ai.peregrine.deploy.Deletion;
import ai.peregrine.deploy.DeploymentState;
import ai.peregrine.deploy.StateStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Delete a deployment's API, Lambda, roles, endpoint, endpoint configuration and model, in",
                "dependency order, and the CloudWatch log groups the function and the endpoint wrote (unless",
                "--keep-logs). Safe to re-run: what is already gone is reported, not an error."})
final class CleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = "--name", paramLabel = "NAME", description = "Deployment name (default: the only recorded one).")
    String name;

    @Option(names = "--dry-run", description = "Print what would be deleted and call nothing.")
    boolean dryRun;

    @Option(names = "--keep-logs", description = "Leave the Lambda's and the endpoint's CloudWatch log groups.")
    boolean keepLogs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StateStore store = aws.store();
        String n = DeploymentNames.pick(name, store);
        DeploymentState state = store.load(n).orElse(null);
        if (state != null && state.isLocal()) {
            if (!dryRun) store.delete(n);
            out.println((dryRun ? "Would remove" : "Removed") + " the record of local deployment '" + n
                    + "' (serve keeps running); nothing was running in AWS.");
            out.flush();
            return 0;
        }
        if (dryRun) {
            out.println("Would delete, in this order (each if it exists):");
            AwsCleaner.plan(n, state, keepLogs).forEach(l -> out.println("  " + l));
            out.flush();
            return 0;
        }
        if (state == null) out.println("No state file for '" + n + "'; looking for its resources by name.");
        try (AwsClients clients = aws.clients(aws.region(state == null ? null : state.region))) {
            List<AwsCleaner.Step> steps = new AwsCleaner(clients, store, line -> {
                out.println(line);
                out.flush();
            }, keepLogs).cleanup(n, state);
            long gone = steps.stream().filter(s -> s.outcome() == Deletion.ALREADY_GONE).count();
            out.println("Done: " + (steps.size() - gone) + " deleted, " + gone + " already gone.");
        }
        out.flush();
        return 0;
    }
}
