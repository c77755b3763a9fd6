package ai.peregrine.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * huggingface_hub's cache layout, so Python tools and Peregrine share downloads:
 * <pre>
 * {cacheDir}/models--{owner}--{name}/
 *     blobs/{etag}                  file contents, named by ETag (sha256 for LFS files, git blob id otherwise)
 *     blobs/{etag}.incomplete       a download in progress or interrupted: resumed with Range next time
 *     refs/{revision}               the commit sha a branch or tag pointed at when last resolved
 *     snapshots/{commit}/{file}     relative symlinks to ../../blobs/{etag} (one more ../ per sub-folder)
 * {cacheDir}/.locks/models--{owner}--{name}/{etag}.lock   held while a blob downloads
 * </pre>
 */
public final class HubCache {
    private final Path root;

    public HubCache(Path cacheDir) {
        this.root = cacheDir.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path repoDir(RepoId repo) {
        return root.resolve(repo.cacheFolderName());
    }

    public Path blobsDir(RepoId repo) {
        return repoDir(repo).resolve("blobs");
    }

    public Path blob(RepoId repo, String etag) {
        return blobsDir(repo).resolve(checkedName(etag, "ETag"));
    }

    public Path incomplete(RepoId repo, String etag) {
        return blobsDir(repo).resolve(checkedName(etag, "ETag") + ".incomplete");
    }

    public Path lockFile(RepoId repo, String etag) {
        return root.resolve(".locks").resolve(repo.cacheFolderName()).resolve(checkedName(etag, "ETag") + ".lock");
    }

    public Path snapshotDir(RepoId repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(checkedName(commit, "commit"));
    }

    /** Where a repository file appears in a snapshot; refuses names that would leave the snapshot folder. */
    public Path pointer(RepoId repo, String commit, String file) {
        Path dir = snapshotDir(repo, commit);
        Path p = dir.resolve(file).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, "refusing repository file name '" + file + "': it leaves the snapshot folder");
        }
        return p;
    }

    private Path refFile(RepoId repo) {
        return repoDir(repo).resolve("refs").resolve(repo.revision());
    }

    /** The commit a revision resolves to from the cache: the revision itself if it is a commit, else refs/{revision}. */
    public Optional<String> cachedCommit(RepoId repo) {
        if (RepoId.isCommitHash(repo.revision())) return Optional.of(repo.revision());
        Path ref = refFile(repo);
        if (!Files.isRegularFile(ref)) return Optional.empty();
        try {
            String sha = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return RepoId.isCommitHash(sha) ? Optional.of(sha) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
    }

    /** Records that the revision points at {@code commit} (nothing to record when the revision is the commit). */
    public void writeRef(RepoId repo, String commit) throws IOException {
        if (repo.revision().equals(commit)) return;
        Path ref = refFile(repo);
        if (Files.isRegularFile(ref) && Files.readString(ref, StandardCharsets.UTF_8).equals(commit)) return;
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Points {@code snapshots/{commit}/{file}} at the blob with a relative symlink, replacing what was there. */
    public Path link(RepoId repo, String commit, String file, String etag) throws IOException {
        Path pointer = pointer(repo, commit, file);
        Path blob = blob(repo, etag);
        Files.createDirectories(pointer.getParent());
        Path target = pointer.getParent().relativize(blob);
        Files.deleteIfExists(pointer);
        Files.createSymbolicLink(pointer, target);
        return pointer;
    }

    /** Whether the snapshot shows this file and the blob behind it exists (a dangling link does not count). */
    public boolean hasFile(RepoId repo, String commit, String file) {
        return Files.isRegularFile(pointer(repo, commit, file));
    }

    private static String checkedName(String s, String what) {
        if (s == null || s.isEmpty() || s.contains("/") || s.contains("\\") || s.equals(".") || s.equals("..")) {
            throw new HubException(HubException.Kind.BAD_RESPONSE, "unusable " + what + " '" + s + "' for a cache file name");
        }
        return s;
    }
}
