package ai.peregrine.hub;

import ai.peregrine.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts files of one commit into the cache's snapshot, as huggingface_hub does: HEAD each file for its ETag and
 * location, stream each missing blob (several at a time) into {@code blobs/{etag}.incomplete} while hashing it,
 * resume an interrupted transfer with {@code Range} (within this run up to {@link #maxStalledAttempts} attempts in
 * a row that bring no new bytes, and in a later run from what is on disk), check the size and sha256 / git blob id,
 * then move it atomically to {@code blobs/{etag}} and link it into {@code snapshots/{commit}}. A transfer that
 * receives nothing for {@link HubSettings#downloadTimeout()} ({@code HF_HUB_DOWNLOAD_TIMEOUT}) is cut and resumed
 * the same way: the JDK client's own timeout ends when the headers arrive, so a server that stalls mid-body would
 * otherwise hold the pull forever.
 *
 * <p>What a failure leaves: an interrupted transfer (network, disk full) keeps its {@code .incomplete} file so the
 * next pull resumes it; a blob that arrives complete but with the wrong checksum or size has its
 * {@code .incomplete} deleted (resuming a corrupt file cannot fix it). Nothing unverified ever reaches
 * {@code blobs/} or {@code snapshots/}.
 */
public final class SnapshotDownloader {
    public static final int DEFAULT_PARALLELISM = 8; // huggingface_hub's snapshot_download max_workers
    private static final int BUFFER = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    /** Closes the body of a transfer that has received nothing for the download timeout (one daemon thread for all). */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hub-download-watchdog").daemon().factory());

    private final HubClient client;
    private final HubCache cache;
    private final DownloadProgress progress;
    private final int parallelism;
    private final FreeSpace freeSpace;
    private final int maxStalledAttempts;
    private final Duration retryDelay;

    public SnapshotDownloader(HubClient client, HubCache cache, DownloadProgress progress, int parallelism,
            FreeSpace freeSpace, int maxStalledAttempts, Duration retryDelay) {
        if (parallelism < 1) throw new IllegalArgumentException("parallel downloads must be at least 1, got " + parallelism);
        this.client = client;
        this.cache = cache;
        this.progress = progress;
        this.parallelism = parallelism;
        this.freeSpace = freeSpace;
        this.maxStalledAttempts = maxStalledAttempts;
        this.retryDelay = retryDelay;
    }

    public SnapshotDownloader(HubClient client, HubCache cache, DownloadProgress progress) {
        this(client, cache, progress, DEFAULT_PARALLELISM, FreeSpace.OF_FILE_STORE, 5, Duration.ofMillis(250));
    }

    /** Makes each of {@code files} appear in {@code snapshots/{info.commit}}; files already there are left alone. */
    public void download(RepoId repo, ModelInfo info, List<String> files) {
        String commit = info.commit();
        List<String> missing = files.stream().filter(f -> !cache.hasFile(repo, commit, f)).toList();
        if (missing.isEmpty()) return;
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, missing.size()),
                Thread.ofPlatform().name("hub-download-", 0).daemon().factory())) {
            List<FileMetadata> metas = runAll(pool, missing.stream()
                    .<Callable<FileMetadata>>map(f -> () -> metadata(repo, info, f)).toList());

            Map<String, List<FileMetadata>> byBlob = new LinkedHashMap<>();
            for (FileMetadata m : metas) byBlob.computeIfAbsent(m.etag(), e -> new ArrayList<>()).add(m);
            List<List<FileMetadata>> toFetch = new ArrayList<>();
            for (List<FileMetadata> same : byBlob.values()) {
                if (Files.isRegularFile(cache.blob(repo, same.getFirst().etag()))) linkAll(repo, commit, same);
                else toFetch.add(same);
            }
            if (toFetch.isEmpty()) return;
            checkFreeSpace(repo, toFetch);
            runAll(pool, toFetch.stream().<Callable<Void>>map(same -> () -> {
                fetchBlob(repo, same.getFirst());
                linkAll(repo, commit, same);
                return null;
            }).toList());
        }
    }

    private FileMetadata metadata(RepoId repo, ModelInfo info, String file) {
        FileMetadata m = client.fileMetadata(repo, info.commit(), file);
        if (!m.commit().equals(info.commit())) {
            throw new HubException(Kind.BAD_RESPONSE, repo.id() + " file '" + file + "' resolved at commit " + m.commit()
                    + " although commit " + info.commit() + " was asked for");
        }
        ModelInfo.RepoFile listed = info.file(file).orElse(null);
        if (listed != null && listed.lfsSha256() != null && m.isSha256Etag() && !listed.lfsSha256().equals(m.etag())) {
            throw new HubException(Kind.BAD_RESPONSE, repo.id() + " file '" + file + "': the model info says sha256 "
                    + listed.lfsSha256() + " but the file's ETag is " + m.etag());
        }
        if (m.size() < 0) {
            if (listed == null || listed.size() == null) {
                throw new HubException(Kind.BAD_RESPONSE, repo.id() + " file '" + file + "': the hub gave no size "
                        + "(X-Linked-Size / Content-Length) for it");
            }
            m = new FileMetadata(m.file(), m.commit(), m.etag(), listed.size(), m.location());
        }
        return m;
    }

    private void linkAll(RepoId repo, String commit, List<FileMetadata> same) {
        try {
            for (FileMetadata m : same) cache.link(repo, commit, m.file(), m.etag());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + same.getFirst().file() + " into the snapshot of " + repo, e);
        }
    }

    private void checkFreeSpace(RepoId repo, List<List<FileMetadata>> toFetch) {
        Path blobs = cache.blobsDir(repo);
        long needed = 0;
        for (List<FileMetadata> same : toFetch) {
            FileMetadata m = same.getFirst();
            Path part = cache.incomplete(repo, m.etag());
            long have = 0;
            try {
                if (Files.isRegularFile(part)) have = Math.min(Files.size(part), m.size());
            } catch (IOException ignored) {
                // counted as nothing on disk yet
            }
            needed += m.size() - have;
        }
        long free;
        try {
            Files.createDirectories(blobs);
            free = freeSpace.usableBytes(blobs);
        } catch (IOException e) {
            if (DiskErrors.isDiskFull(e)) throw diskFull(blobs, e);
            throw new UncheckedIOException("cannot prepare the cache folder " + blobs, e);
        }
        if (needed > free) {
            throw new HubException(Kind.DISK_FULL, "not enough disk space for " + repo + ": the download needs "
                    + DiskErrors.bytes(needed) + " in " + blobs + " but only " + DiskErrors.bytes(free) + " is free; free "
                    + "some space or point --cache-dir / HF_HUB_CACHE at a larger disk");
        }
    }

    /** Streams one blob into its .incomplete file (resuming what is there), verifies it and moves it into blobs/. */
    private void fetchBlob(RepoId repo, FileMetadata m) throws IOException, InterruptedException {
        Path blob = cache.blob(repo, m.etag());
        Path part = cache.incomplete(repo, m.etag());
        Path lockFile = cache.lockFile(repo, m.etag());
        Files.createDirectories(lockFile.getParent());
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockChannel.lock()) {
            if (Files.isRegularFile(blob)) return; // another process finished it while we waited
            transfer(repo, m, part);
            Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            jvmLock.unlock();
        }
    }

    private void transfer(RepoId repo, FileMetadata m, Path part) throws IOException, InterruptedException {
        BlobVerifier verifier = new BlobVerifier(m.etag(), m.size());
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (have > m.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have > 0) verifier.absorb(part);
        try (DownloadProgress.FileProgress bar = progress.start(m.file(), m.size(), have)) {
            int stalled = 0;
            while (have < m.size()) {
                long before = have;
                IOException failure = null;
                try {
                    have = attempt(repo, m, part, have, verifier, bar);
                } catch (TransferInterrupted e) {
                    have = e.position;
                    failure = e.failure;
                }
                if (have >= m.size()) break;
                stalled = have > before ? 0 : stalled + 1;
                if (stalled >= maxStalledAttempts) {
                    throw new HubException(Kind.NETWORK, "download of " + repo.id() + " file '" + m.file()
                            + "' keeps failing at " + DiskErrors.bytes(have) + " of " + DiskErrors.bytes(m.size()) + " ("
                            + (failure == null ? "the server sends no more bytes" : "connection lost: " + HubClient.describe(failure))
                            + "); the part is kept in " + part + " and the next pull resumes it", failure);
                }
                Thread.sleep(retryDelay.toMillis() * Math.max(1, stalled));
            }
        }
        var problem = verifier.mismatch(have);
        if (problem.isPresent()) {
            Files.deleteIfExists(part);
            throw new HubException(Kind.CHECKSUM_MISMATCH, repo.id() + " file '" + m.file() + "' arrived corrupt: "
                    + problem.get() + "; the partial file was deleted and nothing was added to the snapshot (run pull again)");
        }
    }

    /**
     * One GET from {@code have} (a Range when above 0); returns the new position when the body ends, throws
     * {@link TransferInterrupted} with the position reached when the connection fails.
     */
    private long attempt(RepoId repo, FileMetadata m, Path part, long have, BlobVerifier verifier,
            DownloadProgress.FileProgress bar) throws IOException {
        HttpResponse<InputStream> r;
        try {
            r = client.openBody(repo, m.file(), m.location(), have);
        } catch (HubException e) {
            if (e.kind() == Kind.NETWORK && e.getCause() instanceof IOException io) throw new TransferInterrupted(have, io);
            throw e;
        }
        try (InputStream in = r.body()) {
            int status = r.statusCode();
            if (status == 416 || status == 206 && !rangeStartsAt(r, have)) {
                Files.deleteIfExists(part); // what is on disk does not fit the server's file: start over
                verifier.reset();
                bar.restartAt(0);
                throw new TransferInterrupted(0, new IOException("HTTP " + status + " for a range from byte " + have
                        + (status == 206 ? " answered Content-Range " + r.headers().firstValue("Content-Range").orElse("(none)") : "")));
            }
            if (status != 200 && status != 206) {
                throw new HubException(Kind.HTTP_ERROR, "GET " + r.request().uri() + " answered HTTP " + status);
            }
            boolean append = status == 206;
            if (status == 200 && have > 0) { // the server sent the whole file (it ignored Range): write it from the start
                verifier.reset();
                bar.restartAt(0);
                have = 0;
            }
            Duration timeout = client.settings().downloadTimeout();
            AtomicLong lastData = new AtomicLong(System.nanoTime());
            AtomicBoolean cut = new AtomicBoolean();
            long checkMillis = Math.max(10, timeout.toMillis() / 4);
            ScheduledFuture<?> watch = WATCHDOG.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - lastData.get() > timeout.toNanos() && cut.compareAndSet(false, true)) HubClient.closeQuietly(in);
            }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
            try (FileChannel out = openPart(part, append)) {
                byte[] buf = new byte[BUFFER];
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        throw new TransferInterrupted(have, cut.get() ? new IOException("no data for "
                                + timeout.toMillis() / 1000.0 + " s (HF_HUB_DOWNLOAD_TIMEOUT)", e) : e);
                    }
                    if (n < 0) break;
                    lastData.set(System.nanoTime());
                    write(out, buf, n, part, m);
                    verifier.update(buf, 0, n);
                    bar.advance(n);
                    have += n;
                    if (have > m.size()) break; // more than the file's size: the check after will reject it
                }
            } finally {
                watch.cancel(false);
            }
            return have;
        }
    }

    private static FileChannel openPart(Path part, boolean append) throws IOException {
        return append ? FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private void write(FileChannel out, byte[] buf, int n, Path part, FileMetadata m) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) out.write(bb);
        } catch (IOException e) {
            if (DiskErrors.isDiskFull(e)) throw diskFull(part.getParent(), e);
            throw new UncheckedIOException("cannot write " + part + " (" + m.file() + ")", e);
        }
    }

    private static boolean rangeStartsAt(HttpResponse<?> r, long have) {
        Matcher cr = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
        return cr.matches() && Long.parseLong(cr.group(1)) == have;
    }

    private static HubException diskFull(Path dir, IOException e) {
        return new HubException(Kind.DISK_FULL, "disk full while downloading into " + dir + " (" + HubClient.describe(e)
                + "); what arrived is kept as .incomplete and the next pull resumes it once there is space", e);
    }

    /** Runs every task, waits for all, and throws the first failure (the others attached as suppressed). */
    private static <T> List<T> runAll(ExecutorService pool, List<Callable<T>> tasks) {
        List<Future<T>> futures = tasks.stream().map(pool::submit).toList();
        List<T> results = new ArrayList<>();
        RuntimeException first = null;
        for (Future<T> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                RuntimeException r = asRuntime(e.getCause());
                if (first == null) first = r;
                else if (first != r) first.addSuppressed(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new HubException(Kind.NETWORK, "download interrupted", e);
            }
        }
        if (first != null) throw first;
        return results;
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof IOException io) return new UncheckedIOException(io);
        return new IllegalStateException(t);
    }

    /** A body that stopped early (connection dropped, 416): where the part file stands now. */
    private static final class TransferInterrupted extends IOException {
        final long position;
        final IOException failure;

        TransferInterrupted(long position, IOException failure) {
            super(failure);
            this.position = position;
            this.failure = failure;
        }
    }
}
