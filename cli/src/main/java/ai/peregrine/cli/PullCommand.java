package ai.peregrine.cli;

import ai.peregrine.hub.HubSettings;
import ai.peregrine.hub.RepoId;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a model from the Hugging Face hub into the hub cache and print its snapshot folder.",
                "Only what the loader reads is fetched: config.json, the tokenizer and generation files and the",
                "safetensors weights (model.safetensors, or the index and the shards it lists). Interrupted",
                "downloads resume, LFS files are checked against their sha256. HF_ENDPOINT (a mirror), HF_HOME,",
                "HF_HUB_CACHE, HF_TOKEN and HF_HUB_OFFLINE=1 (cache only) work as in huggingface_hub, whose",
                "cache this is: Python tools see what pull downloaded and the other way round."})
final class PullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ORG/NAME[@REVISION]", description = "Model repository, optionally at a branch, tag or commit.")
    String model;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Hub cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Access token for gated or private models (default: $HF_TOKEN, else the token file of `hf auth login`).")
    String token;

    @Override
    public Integer call() {
        RepoId repo = RepoId.parse(model);
        HubSettings settings = HubSettings.fromEnvironment(Environment.get()).withCacheDir(cacheDir).withToken(token);
        Path snapshot = HubModelArgument.snapshot(repo, settings, spec.commandLine().getErr());
        spec.commandLine().getOut().println(snapshot);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
