package ai.peregrine.cli;

import ai.peregrine.hub.ConsoleProgress;
import ai.peregrine.hub.HubModels;
import ai.peregrine.hub.HubSettings;
import ai.peregrine.hub.RepoId;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A --model (or HF_MODEL_ID) value that names a Hugging Face hub repository rather than a local path:
 * ORG/NAME[@REVISION] when no such file or folder exists. It becomes the snapshot folder in the shared hub cache,
 * downloaded first unless HF_HUB_OFFLINE is set.
 */
final class HubModelArgument {
    private HubModelArgument() {}

    static boolean isHubId(String value) {
        if (value == null || !RepoId.looksLikeRepoId(value)) return false;
        try {
            return !Files.exists(Path.of(value));
        } catch (InvalidPathException e) {
            return true;
        }
    }

    /** The local path for a --model value: itself, or the snapshot folder of the hub repository it names. */
    static Path resolve(String value, Map<String, String> env, PrintWriter err) {
        if (value == null) return null;
        if (!isHubId(value)) return Path.of(value);
        return snapshot(RepoId.parse(value), HubSettings.fromEnvironment(env), err);
    }

    /** HF_MODEL_ID as TGI reads it: a hub id, with HF_MODEL_REVISION as its revision when it names none. */
    static Optional<Path> fromHfModelId(String id, Map<String, String> env, PrintWriter err) {
        if (!isHubId(id)) return Optional.empty();
        RepoId repo = RepoId.parse(id);
        String revision = env.get("HF_MODEL_REVISION");
        if (!id.contains("@") && revision != null && !revision.isBlank()) repo = repo.atRevision(revision.strip());
        return Optional.of(snapshot(repo, HubSettings.fromEnvironment(env), err));
    }

    static Path snapshot(RepoId repo, HubSettings settings, PrintWriter err) {
        err.println("peregrine: " + (settings.offline() ? "looking up " + repo + " in the cache (HF_HUB_OFFLINE)"
                : "fetching " + repo + " from " + settings.endpoint() + " into " + settings.cacheDir()));
        err.flush();
        HubModels models = new HubModels(settings, ConsoleProgress.forStderr(err), note -> {
            err.println("peregrine: " + note);
            err.flush();
        });
        Path snapshot = models.snapshot(repo);
        err.println("peregrine: " + repo + " is in " + snapshot);
        err.flush();
        return snapshot;
    }
}
