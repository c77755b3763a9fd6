package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.synthetic.RandomModel;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import ai.peregrine.engine.tensor.Q4_0x8Matrix;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repacked Q4_0 weights kept on disk: written by the first load, mapped by later ones, never trusted when stale or damaged. */
class RepackCacheTest {
    private static final int[] PROMPT = {1, 7, 42, 3, 88};

    @TempDir
    Path dir;
    Path model;
    Path cache;
    float[] inMemory;

    @BeforeEach
    void writeModel() throws IOException {
        assumeTrue(Q4_0x8Matrix.applies(), "repacking needs 256-bit integer vectors");
        RandomModelSpec spec = RandomModelSpec.llama(64, 2, 4, 2, 160, 264, GgmlType.Q4_0);
        model = dir.resolve("model-q4_0.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), model);
        cache = dir.resolve("cache");
        inMemory = logits(LoadOptions.threads(2), new Notes());
    }

    @Test
    void firstLoadWritesTheEntryAndLaterLoadsComputeFromIt() throws IOException {
        Notes first = new Notes();
        assertThat(logits(cached(), first)).isEqualTo(inMemory);
        assertThat(first.progress).isNotEmpty();
        Path entry = onlyEntry();
        assertThat(first.notes).anyMatch(n -> n.contains("repacking Q4_0 weights once into " + entry));

        Notes second = new Notes();
        assertThat(logits(cached(), second)).isEqualTo(inMemory);
        assertThat(second.progress).as("nothing repacked").isEmpty();
        assertThat(second.notes).isEmpty();
        assertThat(onlyEntry()).isEqualTo(entry);

        // the second load reads the entry's bytes, not the model file's: change one and the logits change
        flipFirstGroupBlock(entry);
        assertThat(logits(cached(), new Notes())).isNotEqualTo(inMemory);
    }

    @Test
    void aNewEntryDeletesTheLeastRecentlyUsedOnesToStayWithinTheLimit() throws IOException {
        Path a = model, b = dir.resolve("b-q4_0.gguf"), c = dir.resolve("c-q4_0.gguf");
        Files.copy(a, b);
        Files.copy(a, c);
        logitsOf(a, cached(), new Notes());
        long entryBytes = Files.size(onlyEntry());
        LoadOptions roomForTwo = cached().withRepackCacheLimit(2 * entryBytes + 1000);
        logitsOf(b, roomForTwo, new Notes());
        Path entryA = entryOf(a), entryB = entryOf(b);
        assertThat(entryA).isNotEqualTo(entryB);

        Notes hit = new Notes();
        logitsOf(a, roomForTwo, hit); // maps a's entry: now b's is the least recently used
        assertThat(hit.progress).as("nothing repacked").isEmpty();
        Notes third = new Notes();
        assertThat(logitsOf(c, roomForTwo, third)).isEqualTo(inMemory);
        assertThat(entryB).doesNotExist();
        assertThat(entryA).exists();
        assertThat(entryOf(c)).exists();
        assertThat(third.notes).anyMatch(n -> n.contains("deleted the least recently used repacked-weights entry " + entryB.getFileName()));
    }

    @Test
    void anEntryLargerThanTheLimitIsNotWrittenAndTheModelStillLoads() throws IOException {
        Notes notes = new Notes();
        assertThat(logits(cached().withRepackCacheLimit(4096), notes)).isEqualTo(inMemory);
        assertThat(notes.notes).anyMatch(n -> n.contains("over the cache's limit of 0 MB; repacking in memory"));
        assertThat(cache).doesNotExist();
    }

    @Test
    void aChangedModelFileGetsANewEntryAndTheOldOneIsDeleted() throws IOException {
        logits(cached(), new Notes());
        Path old = onlyEntry();
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() + 5_000));
        Notes notes = new Notes();
        assertThat(logits(cached(), notes)).isEqualTo(inMemory);
        assertThat(notes.progress).isNotEmpty();
        assertThat(onlyEntry()).isNotEqualTo(old);
        assertThat(old).doesNotExist();
    }

    @Test
    void aDamagedHeaderIsNotTrustedAndTheEntryIsMadeAgain() throws IOException {
        logits(cached(), new Notes());
        Path entry = onlyEntry();
        try (RandomAccessFile f = new RandomAccessFile(entry.toFile(), "rw")) {
            f.seek(30);
            f.write(f.read() ^ 0x40);
        }
        Notes notes = new Notes();
        assertThat(logits(cached(), notes)).isEqualTo(inMemory);
        assertThat(notes.notes).anyMatch(n -> n.contains("damaged"));
        assertThat(onlyEntry()).isEqualTo(entry);
        assertThat(logits(cached(), new Notes())).isEqualTo(inMemory);
    }

    @Test
    void halfWrittenEntriesOfDeadProcessesAreDeletedAndLiveOnesKept() throws IOException {
        logits(cached(), new Notes());
        Path entry = onlyEntry();
        Files.delete(entry);
        Path dead = cache.resolve(entry.getFileName() + ".tmp-" + Long.MAX_VALUE);
        Path live = cache.resolve(entry.getFileName() + ".tmp-" + ProcessHandle.current().parent().orElseThrow().pid());
        Files.writeString(dead, "killed while loading");
        Files.writeString(live, "another process loading the same file");
        logits(cached(), new Notes());
        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(entry).exists();
    }

    @Test
    void listingNamesEntriesAndHalfWrittenFilesAndClearingKeepsOnlyLiveWriters() throws IOException {
        logits(cached(), new Notes());
        Path entry = onlyEntry();
        Path dead = cache.resolve(entry.getFileName() + ".tmp-" + Long.MAX_VALUE);
        Path live = cache.resolve(entry.getFileName() + ".tmp-" + ProcessHandle.current().parent().orElseThrow().pid());
        Path other = cache.resolve("notes.txt");
        Files.writeString(dead, "killed while loading");
        Files.writeString(live, "another process loading the same file");
        Files.writeString(other, "not an entry");

        assertThat(RepackCache.entries(cache))
                .extracting(e -> e.path().getFileName().toString(), RepackCache.Entry::bytes, RepackCache.Entry::writing, RepackCache.Entry::orphan)
                .containsExactlyInAnyOrder(
                        tuple(entry.getFileName().toString(), Files.size(entry), false, false),
                        tuple(dead.getFileName().toString(), Files.size(dead), true, true),
                        tuple(live.getFileName().toString(), Files.size(live), true, false));
        assertThat(RepackCache.clear(cache)).extracting(RepackCache.Entry::path).containsExactlyInAnyOrder(entry, dead);
        assertThat(entry).doesNotExist();
        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();

        Notes again = new Notes();
        assertThat(logits(cached(), again)).isEqualTo(inMemory);
        assertThat(again.progress).as("the next load repacks again").isNotEmpty();
        assertThat(entry).exists();
        assertThat(RepackCache.entries(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void aFolderThatCannotBeMadeMeansRepackingInMemory() throws IOException {
        Files.writeString(cache, "a file where the folder should be");
        Notes notes = new Notes();
        assertThat(logits(cached(), notes)).isEqualTo(inMemory);
        assertThat(notes.notes).anyMatch(n -> n.startsWith("not caching repacked Q4_0 weights in " + cache));
    }

    @Test
    void modelsWithoutQ4_0LeaveNoEntry() throws IOException {
        RandomModelSpec spec = RandomModelSpec.llama(64, 2, 4, 2, 160, 264, GgmlType.Q8_0);
        Path q8 = dir.resolve("model-q8_0.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), q8);
        try (TransformerModel m = ModelLoader.load(q8, cached())) {
            assertThat(m.config().vocabSize()).isEqualTo(264);
        }
        assertThat(cache).doesNotExist();
    }

    @Test
    void noRepackMeansNoEntry() throws IOException {
        logits(cached().withRepack(false), new Notes());
        assertThat(cache).doesNotExist();
    }

    private LoadOptions cached() {
        return LoadOptions.threads(2).withRepackCache(cache);
    }

    private float[] logits(LoadOptions options, Notes notes) throws IOException {
        return logitsOf(model, options, notes);
    }

    private static float[] logitsOf(Path file, LoadOptions options, Notes notes) throws IOException {
        try (TransformerModel m = ModelLoader.load(file, options.withProgress(notes))) {
            Session s = m.newSession(16);
            s.forward(PROMPT, 0, PROMPT.length, null);
            return s.logits().clone();
        }
    }

    /** The finished cache entry of {@code file} (its name starts with the hash of the model's path), existing or not. */
    private Path entryOf(Path file) throws IOException {
        String prefix = RepackCache.prefix(file.toRealPath()) + "-";
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> mine = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertThat(mine).hasSize(1);
            assertThat(mine.getFirst().getFileName().toString()).endsWith(RepackCache.SUFFIX);
            return mine.getFirst();
        }
    }

    /** The one entry in the cache folder; no temporary file is left beside it. */
    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            assertThat(all.getFirst().getFileName().toString()).endsWith(RepackCache.SUFFIX);
            return all.getFirst();
        }
    }

    /** The first repacked tensor's first group block (rows 0-7, columns 0-31), which starts the data after a one-page header. */
    private static void flipFirstGroupBlock(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[160];
            f.seek(4096);
            f.readFully(block);
            for (int i = 0; i < block.length; i++) block[i] ^= 0x77;
            f.seek(4096);
            f.write(block);
        }
    }

    private static final class Notes implements ProgressListener {
        final List<String> notes = new ArrayList<>();
        final List<Long> progress = new ArrayList<>();

        @Override
        public synchronized void progress(String task, long done, long total) {
            progress.add(done);
        }

        @Override
        public synchronized void note(String message) {
            notes.add(message);
        }
    }
}
