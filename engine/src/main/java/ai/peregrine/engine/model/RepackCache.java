package ai.peregrine.engine.model;

import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.tensor.Q4_0Matrix;
import ai.peregrine.engine.tensor.Q4_0x8Matrix;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Repacked Q4_0 weights ({@link Q4_0x8Matrix}) kept on disk, so only the first load of a model file pays for the
 * repacking (seconds per GB on this kind of VM, most of it first-touching fresh memory) and later loads map the
 * result: cached file pages are ready at once, and count as reclaimable file memory instead of anonymous memory.
 *
 * <p>One file per model file in the cache folder, {@code <hash of the model's real path>-<hash of the header>.q4x8}.
 * The header names the model's size and modification time and every repacked tensor (name, shape, offset); a
 * file whose header is not exactly the one this model file implies is not used. A first load repacks straight into
 * a temporary file mapped read-write, forces it to disk and renames it into place, so a load that dies midway
 * leaves no entry behind; the entries of older versions of the same model file are deleted then.
 *
 * <p>The folder is held under a size limit, least recently used first out: a load that maps an entry marks it used
 * (its modification time), and a new entry first deletes the entries used longest ago until it fits. A process that
 * still maps a deleted entry keeps reading it; the space returns when it unmaps.
 */
public final class RepackCache {
    /** Bumped whenever the repacked layout or this header changes. */
    static final int VERSION = 1;
    static final String SUFFIX = ".q4x8";
    private static final String TEMP = ".tmp-";
    private static final long MAGIC = 0x3858_3451_4e47_5250L; // "PRGNQ4X8" little-endian
    private static final long ALIGN = 4096;
    /** The cache folder's default size limit: four Falcon-7B-sized entries (~4.5 GB each). */
    public static final long DEFAULT_LIMIT = 20L << 30;
    /** Free space left over after a new entry, so a full disk is refused up front (writes into a mapping cannot fail cleanly). */
    private static final long SPARE_BYTES = 256L << 20;

    /** Whether {@link #open} found a ready entry or is writing a new one. */
    private enum State { HIT, FILLING }

    /** A repacked tensor's shape and its offset from the end of the header. */
    private record Slot(int rows, int cols, long offset) {}

    private final State state;
    private final Path entry;
    private final Path temp;
    private final MemorySegment mapped;
    private final long dataStart;
    private final Map<String, Slot> slots;
    private final ProgressListener progress;
    private final long totalWeights;
    private long doneWeights;

    private RepackCache(State state, Path entry, Path temp, MemorySegment mapped, long dataStart, Map<String, Slot> slots,
            ProgressListener progress) {
        this.state = state;
        this.entry = entry;
        this.temp = temp;
        this.mapped = mapped;
        this.dataStart = dataStart;
        this.slots = slots;
        this.progress = progress;
        this.totalWeights = slots.values().stream().mapToLong(s -> (long) s.rows * s.cols).sum();
    }

    /**
     * The cache entry for {@code model} in {@code folder}: mapped when present and valid, else a new one to fill, after
     * deleting the least recently used entries that keep the folder from staying within {@code limit} bytes. Null
     * when {@code file} has no Q4_0 matrix to repack, or when the cache cannot be used (an unwritable folder, too
     * little space, an entry larger than the limit): loading then repacks in memory, as without a cache, and
     * {@code progress} hears why.
     */
    public static RepackCache open(Path model, Path folder, long limit, GgufView file, ProgressListener progress) {
        Map<String, Slot> slots = new LinkedHashMap<>();
        long offset = 0;
        for (GgufTensorInfo t : file.tensors().values()) {
            if (t.type() != GgmlType.Q4_0 || t.shape().length != 2) continue;
            long cols = t.shape()[0], rows = t.shape()[1];
            if (!Q4_0x8Matrix.repackable(rows, cols) || rows > Integer.MAX_VALUE) continue;
            slots.put(t.name(), new Slot((int) rows, (int) cols, offset));
            offset = align(offset + Q4_0x8Matrix.packedBytes(rows, cols));
        }
        if (slots.isEmpty()) return null;
        try {
            Path real = model.toRealPath();
            byte[] header = header(Files.size(real), Files.getLastModifiedTime(real).to(TimeUnit.NANOSECONDS), slots);
            long dataStart = align(header.length);
            long size = dataStart + offset;
            String prefix = prefix(real);
            Path entry = folder.resolve(prefix + "-" + hash(header) + SUFFIX);
            if (Files.isRegularFile(entry)) {
                MemorySegment m = map(entry, FileChannel.MapMode.READ_ONLY, size);
                if (m != null && m.asSlice(0, header.length).mismatch(MemorySegment.ofArray(header)) == -1) {
                    markUsed(entry);
                    return new RepackCache(State.HIT, entry, null, m, dataStart, slots, progress);
                }
                progress.note("the repacked-weights cache entry " + entry + " is damaged; making it again");
                Files.deleteIfExists(entry);
            }
            if (size > limit) {
                progress.note("not caching repacked Q4_0 weights: the entry would take " + (size >> 20) + " MB, over the cache's limit of "
                        + (limit >> 20) + " MB; repacking in memory");
                return null;
            }
            Files.createDirectories(folder);
            makeRoom(folder, size, limit, progress);
            long usable = Files.getFileStore(folder).getUsableSpace();
            if (usable < size + SPARE_BYTES) {
                progress.note("not caching repacked Q4_0 weights: " + folder + " has " + (usable >> 20) + " MB free, "
                        + ((size + SPARE_BYTES) >> 20) + " MB needed; repacking in memory");
                return null;
            }
            Path temp = folder.resolve(entry.getFileName() + TEMP + ProcessHandle.current().pid());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(header), 0);
            }
            MemorySegment m = map(temp, FileChannel.MapMode.READ_WRITE, size);
            progress.note("repacking Q4_0 weights once into " + entry + " (" + (size >> 20) + " MB); later loads map it");
            return new RepackCache(State.FILLING, entry, temp, m, dataStart, slots, progress);
        } catch (IOException | UnsupportedOperationException e) {
            progress.note("not caching repacked Q4_0 weights in " + folder + " (" + e + "); repacking in memory");
            return null;
        }
    }

    /** The start of the names of {@code realModelPath}'s entries: a hash of the path. */
    static String prefix(Path realModelPath) {
        return hash(realModelPath.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A load maps the entry: its modification time says when it was last used. A read-only folder keeps the old time. */
    private static void markUsed(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // the entry still serves; only its place in the eviction order is stale
        }
    }

    /**
     * Deletes half-written files of dead processes, then finished entries, least recently used first, until they and
     * {@code size} more bytes fit in {@code limit}. Files that live loading processes are writing count, but stay.
     */
    private static void makeRoom(Path folder, long size, long limit, ProgressListener progress) throws IOException {
        List<Entry> all = new ArrayList<>();
        for (Entry e : entries(folder)) {
            // half-written files of any model whose writer died (each is GBs)
            if (e.orphan()) Files.deleteIfExists(e.path());
            else all.add(e);
        }
        long total = size + all.stream().mapToLong(Entry::bytes).sum();
        List<Entry> finished = new ArrayList<>(all.stream().filter(e -> !e.writing()).toList());
        Map<Path, FileTime> used = new HashMap<>();
        for (Entry e : finished) used.put(e.path(), Files.getLastModifiedTime(e.path()));
        finished.sort(Comparator.comparing(e -> used.get(e.path())));
        for (Entry e : finished) {
            if (total <= limit) break;
            if (Files.deleteIfExists(e.path())) {
                total -= e.bytes();
                progress.note("deleted the least recently used repacked-weights entry " + e.path().getFileName() + " ("
                        + (e.bytes() >> 20) + " MB) to keep the cache within " + (limit >> 20) + " MB");
            }
        }
    }

    private enum Writer { NONE, LIVE, DEAD }

    /** For a half-written entry ({@code *.q4x8.tmp-<pid>}), whether the process writing it is still alive. */
    private static Writer writer(Path file) {
        String name = file.getFileName().toString();
        int at = name.lastIndexOf(SUFFIX + TEMP);
        if (at < 0) return Writer.NONE;
        try {
            long pid = Long.parseLong(name.substring(at + SUFFIX.length() + TEMP.length()));
            return ProcessHandle.of(pid).isPresent() ? Writer.LIVE : Writer.DEAD;
        } catch (NumberFormatException e) {
            return Writer.NONE; // not one of ours
        }
    }

    /**
     * A file in a cache folder: a finished entry, or one a loading process is writing ({@code writing}; live or,
     * when that process died, an orphan).
     */
    public record Entry(Path path, long bytes, boolean writing, boolean orphan) {}

    /** The entries in {@code folder} (none when it does not exist), by name. */
    public static List<Entry> entries(Path folder) throws IOException {
        List<Entry> found = new ArrayList<>();
        if (!Files.isDirectory(folder)) return found;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Writer w = writer(f);
                if (w == Writer.NONE && !name.endsWith(SUFFIX)) continue;
                found.add(new Entry(f, Files.size(f), w != Writer.NONE, w == Writer.DEAD));
            }
        }
        found.sort(Comparator.comparing(e -> e.path().getFileName().toString()));
        return found;
    }

    /**
     * Deletes the finished entries and the orphans in {@code folder}, keeping files a live process is writing, and
     * returns what was deleted. A process that has an entry mapped keeps reading it: the file goes when it unmaps.
     */
    public static List<Entry> clear(Path folder) throws IOException {
        List<Entry> deleted = new ArrayList<>();
        for (Entry e : entries(folder)) {
            if (e.writing() && !e.orphan()) continue;
            if (Files.deleteIfExists(e.path())) deleted.add(e);
        }
        return deleted;
    }

    /** Read-only: null when the file is not {@code size} long. Read-write: grows the file to {@code size}. */
    private static MemorySegment map(Path path, FileChannel.MapMode mode, long size) throws IOException {
        var options = mode == FileChannel.MapMode.READ_ONLY
                ? new StandardOpenOption[] {StandardOpenOption.READ}
                : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
        try (FileChannel ch = FileChannel.open(path, options)) {
            if (mode == FileChannel.MapMode.READ_ONLY && ch.size() != size) return null;
            // unmapped when the last matrix over it is garbage: the matrices share the lifetime of in-memory repacks
            return ch.map(mode, 0, size, Arena.ofAuto());
        }
    }

    /**
     * The repacked form of {@code source}, tensor {@code name}: read from the entry, or written into it now. Null
     * when the entry has no slot of that name and shape (the caller then repacks in memory).
     */
    public WeightMatrix matrix(String name, Q4_0Matrix source) {
        Slot s = slots.get(name);
        if (s == null || s.rows != source.rows() || s.cols != source.cols()) return null;
        MemorySegment slice = mapped.asSlice(dataStart + s.offset, Q4_0x8Matrix.packedBytes(s.rows, s.cols));
        if (state == State.HIT) return Q4_0x8Matrix.ofPacked(slice, s.rows, s.cols);
        WeightMatrix m = Q4_0x8Matrix.repackInto(source, slice);
        synchronized (this) {
            doneWeights += (long) s.rows * s.cols;
            progress.progress("repacking Q4_0 weights", doneWeights, totalWeights);
        }
        return m;
    }

    /**
     * After every matrix is made: a new entry is forced to disk and renamed into place, and entries of older
     * versions of the model file are deleted. A failure here is reported and leaves no entry; the matrices stay valid.
     */
    public void commit() {
        if (state != State.FILLING) return;
        try {
            mapped.force();
            Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String prefix = entry.getFileName().toString();
            prefix = prefix.substring(0, prefix.indexOf('-') + 1); // other versions of this model file; not others' temporaries
            try (DirectoryStream<Path> older = Files.newDirectoryStream(entry.getParent(), prefix + "*" + SUFFIX)) {
                for (Path p : older) if (!p.equals(entry)) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            progress.note("could not keep the repacked Q4_0 weights in " + entry + " (" + e + ")");
            abandon();
        }
    }

    /** Loading failed: a half-written entry is deleted. */
    public void abandon() {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            progress.note("could not delete " + temp + " (" + e + ")");
        }
    }

    private static byte[] header(long modelSize, long modelMtimeNanos, Map<String, Slot> slots) {
        int length = 8 + 4 + 8 + 8 + 4;
        for (String name : slots.keySet()) length += 2 + name.getBytes(StandardCharsets.UTF_8).length + 4 + 4 + 8;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(VERSION).putLong(modelSize).putLong(modelMtimeNanos).putInt(slots.size());
        slots.forEach((name, s) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) n.length).put(n).putInt(s.rows).putInt(s.cols).putLong(s.offset);
        });
        return b.array();
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
