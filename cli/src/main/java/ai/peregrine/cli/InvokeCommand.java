package ai.peregrine.cli;

import ai.peregrine.deploy.AwsClients;
import ai.peregrine.deploy.DeploymentState;
import ai.peregrine.deploy.EndpointInvoker;
import ai.peregrine.deploy.LocalRuntime;
import ai.peregrine.deploy.StateStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Send one request to a deployment: through its API Gateway URL, or with --direct through SageMaker Runtime (serve's, for a local one).")
final class InvokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = "--name", paramLabel = "NAME", description = "Deployment name (default: the only recorded one).")
    String name;

    @Option(names = "--inputs", required = true, paramLabel = "TEXT", description = "The prompt.")
    String inputs;

    @Option(names = "--parameters", paramLabel = "JSON",
            description = "TGI parameters (default: the seed's {\"top_p\": 0.9, \"temperature\": 0.8, \"max_new_tokens\": 512, \"repetition_penalty\": 1.03}).")
    String parameters;

    @Option(names = "--direct", description = "Call the SageMaker endpoint with your credentials instead of the public URL.")
    boolean direct;

    @Option(names = "--api-key", paramLabel = "KEY", description = "X-Api-Key for a local deployment's gateway.")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        StateStore store = aws.store();
        String n = DeploymentNames.pick(name, store);
        DeploymentState state = store.load(n).orElseThrow(() ->
                new IllegalArgumentException("no deployment '" + n + "' recorded in " + store.dir()));
        String body = EndpointInvoker.body(inputs, parameters);
        String answer;
        if (state.isLocal()) {
            answer = direct ? EndpointInvoker.viaUrl(LocalRuntime.invocationsUrl(state.runtimeUrl, n), body)
                    : EndpointInvoker.viaUrl(state.invokeUrl, body, apiKey);
        } else if (direct || state.invokeUrl == null) {
            try (AwsClients clients = aws.clients(aws.region(state.region))) {
                answer = EndpointInvoker.direct(clients, n, body);
            }
        } else {
            answer = EndpointInvoker.viaUrl(state.invokeUrl, body);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(answer);
        out.flush();
        return 0;
    }
}
