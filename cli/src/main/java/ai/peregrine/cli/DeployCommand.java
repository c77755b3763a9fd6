package ai.peregrine.cli;

import picocli.CommandLine.Command;

@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy a model: 'deploy aws' creates a SageMaker endpoint behind Lambda and API Gateway;",
                "'deploy local' records a running ./peregrine serve the same way, to try the flow without AWS."},
        subcommands = {DeployAwsCommand.class, DeployLocalCommand.class})
final class DeployCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
