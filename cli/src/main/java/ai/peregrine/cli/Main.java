package ai.peregrine.cli;

import ai.peregrine.deploy.AwsErrors;
import ai.peregrine.deploy.DeployFailedException;
import ai.peregrine.engine.gguf.GgufFormatException;
import ai.peregrine.hub.HubException;
import ai.peregrine.engine.hf.CheckpointFormatException;
import ai.peregrine.engine.tokenizer.hf.HfFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.core.exception.SdkException;

@Command(name = "peregrine", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Serve open LLMs behind an HTTP API, in Java.",
        subcommands = {ServeCommand.class, GenerateCommand.class, ConvertCommand.class, BenchCommand.class, BenchServeCommand.class,
                DeployCommand.class, StatusCommand.class, InvokeCommand.class, CleanupCommand.class, PullCommand.class,
                CacheCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("peregrine " + cmd.getCommandName() + ": error: " + describe(e));
            if (Boolean.getBoolean("peregrine.debug")) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl;
    }

    /** A one-line message that names the problem; stack traces only with -Dperegrine.debug=true. */
    static String describe(Throwable e) {
        if (e instanceof DeployFailedException || e instanceof HubException) return e.getMessage();
        if (e instanceof SdkException) return AwsErrors.describe(e);
        if (e instanceof UncheckedIOException u) e = u.getCause();
        if (e instanceof NoSuchFileException n) return "file not found: " + n.getFile();
        if (e instanceof GgufFormatException || e instanceof CheckpointFormatException || e instanceof HfFormatException
                || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof IOException) return e.getClass().getSimpleName() + ": " + e.getMessage();
        return e.toString();
    }
}
