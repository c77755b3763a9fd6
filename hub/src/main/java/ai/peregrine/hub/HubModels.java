package ai.peregrine.hub;

import ai.peregrine.hub.HubException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model from the hub as a local folder: {@link #snapshot} downloads what the loader needs into the shared cache
 * (or, with {@code HF_HUB_OFFLINE}, only looks in it) and returns {@code snapshots/{commit}}, which holds
 * config.json, the tokenizer files and the safetensors weights as symlinks into {@code blobs/}.
 */
public final class HubModels {
    private final HubSettings settings;
    private final HubCache cache;
    private final DownloadProgress progress;
    private final Consumer<String> notes;

    /** {@code notes} receives one-line remarks for the user (e.g. "hub unreachable, using the cached snapshot"). */
    public HubModels(HubSettings settings, DownloadProgress progress, Consumer<String> notes) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
        this.progress = progress;
        this.notes = notes;
    }

    public HubCache cache() {
        return cache;
    }

    /** The snapshot folder of {@code repo} at its revision, downloaded first unless offline. */
    public Path snapshot(RepoId repo) {
        if (settings.offline()) return cachedSnapshot(repo);
        try (HubClient client = new HubClient(settings)) {
            return download(repo, client, new SnapshotDownloader(client, cache, progress));
        }
    }

    /** Downloads with the given downloader (tests pass one with a fake disk size or short retry delays). */
    public Path download(RepoId repo, HubClient client, SnapshotDownloader downloader) {
        ModelInfo info;
        try {
            info = client.modelInfo(repo);
        } catch (HubException e) {
            if (e.kind() != Kind.NETWORK) throw e;
            Path cached;
            try {
                cached = cachedSnapshot(repo);
            } catch (HubException notCached) {
                throw new HubException(Kind.NETWORK, e.getMessage() + ", and " + repo + " is not in the cache at "
                        + cache.root() + " either", e);
            }
            notes.accept(e.getMessage() + "; using the cached snapshot " + cached);
            return cached;
        }
        List<String> files = new ArrayList<>(ModelFiles.initial(info, repo));
        try {
            cache.writeRef(repo, info.commit());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write refs/" + repo.revision() + " under " + cache.repoDir(repo), e);
        }
        if (ModelFiles.sharded(files)) {
            downloader.download(repo, info, List.of(ModelFiles.WEIGHTS_INDEX));
            Path index = cache.pointer(repo, info.commit(), ModelFiles.WEIGHTS_INDEX);
            files.addAll(ModelFiles.shards(index, info, repo));
        }
        downloader.download(repo, info, files);
        return checkedSnapshot(repo, info.commit());
    }

    /** The cached snapshot for {@code repo}'s revision, without any network; a clear error when it is not there. */
    public Path cachedSnapshot(RepoId repo) {
        String commit = cache.cachedCommit(repo).orElseThrow(() -> new HubException(Kind.NOT_IN_CACHE,
                repo + " is not in the cache at " + cache.root() + " (no refs/" + repo.revision() + " under "
                        + cache.repoDir(repo).getFileName() + ")" + offlineHint(repo)));
        if (!Files.isDirectory(cache.snapshotDir(repo, commit))) {
            throw new HubException(Kind.NOT_IN_CACHE, repo + " (commit " + commit + ") is not in the cache at "
                    + cache.root() + offlineHint(repo));
        }
        return checkedSnapshot(repo, commit);
    }

    /** The snapshot folder, once config.json and every weight file are in it. */
    private Path checkedSnapshot(RepoId repo, String commit) {
        List<String> missing = new ArrayList<>();
        if (!cache.hasFile(repo, commit, ModelFiles.CONFIG)) missing.add(ModelFiles.CONFIG);
        if (!cache.hasFile(repo, commit, ModelFiles.SINGLE_WEIGHTS)) {
            if (!cache.hasFile(repo, commit, ModelFiles.WEIGHTS_INDEX)) {
                missing.add(ModelFiles.SINGLE_WEIGHTS + " or " + ModelFiles.WEIGHTS_INDEX);
            } else {
                Path index = cache.pointer(repo, commit, ModelFiles.WEIGHTS_INDEX);
                for (String shard : ModelFiles.shardNames(index, repo)) {
                    if (!cache.hasFile(repo, commit, shard)) missing.add(shard);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new HubException(Kind.NOT_IN_CACHE, "the cached snapshot of " + repo + " (" + cache.snapshotDir(repo, commit)
                    + ") lacks " + String.join(", ", missing) + " (an interrupted pull?)" + offlineHint(repo));
        }
        return cache.snapshotDir(repo, commit);
    }

    private String offlineHint(RepoId repo) {
        return settings.offline()
                ? "; HF_HUB_OFFLINE is set, so nothing is downloaded: run ./peregrine pull " + repo + " without it first"
                : "; run ./peregrine pull " + repo;
    }
}
