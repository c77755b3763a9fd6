package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `peregrine cache list | clear` over $PEREGRINE_CACHE/repacked (entries made by a real load: RepackCacheTest). */
class CacheCommandTest {
    @TempDir
    Path tmp;

    @Test
    void listsEntriesAndClearsAllButFilesALiveProcessIsWriting() throws Exception {
        Path folder = tmp.resolve("repacked");
        Files.createDirectories(folder);
        Path entry = Files.write(folder.resolve("0123456789abcdef-fedcba9876543210.q4x8"), new byte[3 << 20]);
        Path dead = Files.writeString(folder.resolve(entry.getFileName() + ".tmp-" + Long.MAX_VALUE), "killed while loading");
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Path live = Files.writeString(folder.resolve(entry.getFileName() + ".tmp-" + parent), "loading");
        try (AutoCloseable env = Environment.replacedBy(Map.of("PEREGRINE_CACHE", tmp.toString()))) {
            CliTest.Run list = CliTest.run("cache", "list");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains(folder.toString())
                    .contains("3.0 MB  " + entry.getFileName())
                    .contains(dead.getFileName() + "  (left half-written by a process that died)")
                    .contains(live.getFileName() + "  (being written by a running process)")
                    .contains("in 3 files, limit 20.00 GB (PEREGRINE_REPACK_CACHE_LIMIT");

            CliTest.Run clear = CliTest.run("cache", "clear");
            assertThat(clear.exit()).as(clear.err()).isZero();
            assertThat(clear.out()).contains("deleted 2 files (3.0 MB) from " + folder).contains("kept 1 file a running process is writing");
            assertThat(entry).doesNotExist();
            assertThat(dead).doesNotExist();
            assertThat(live).exists();

            Files.delete(live);
            assertThat(CliTest.run("cache", "list").out()).contains("no repacked weights in " + folder);
            assertThat(CliTest.run("cache", "clear").out()).contains("deleted 0 files (0.0 KB)");
        }
    }

    @Test
    void theLimitComesFromTheEnvironmentInBinaryUnitsAndABadOneIsNamed() throws Exception {
        Files.createDirectories(tmp.resolve("repacked"));
        Files.write(tmp.resolve("repacked").resolve("0123456789abcdef-fedcba9876543210.q4x8"), new byte[1024]);
        for (var limit : Map.of("512m", "limit 512.0 MB", "1.5G", "limit 1.50 GB", "3 GiB", "limit 3.00 GB").entrySet()) {
            try (AutoCloseable env = Environment.replacedBy(Map.of("PEREGRINE_CACHE", tmp.toString(), "PEREGRINE_REPACK_CACHE_LIMIT", limit.getKey()))) {
                CliTest.Run list = CliTest.run("cache", "list");
                assertThat(list.exit()).as(list.err()).isZero();
                assertThat(list.out()).contains(limit.getValue());
            }
        }
        assertThat(RepackCacheFolder.limit(Map.of("PEREGRINE_REPACK_CACHE_LIMIT", "4096"))).isEqualTo(4096);
        assertThat(RepackCacheFolder.limit(Map.of())).isEqualTo(20L << 30);
        try (AutoCloseable env = Environment.replacedBy(Map.of("PEREGRINE_CACHE", tmp.toString(), "PEREGRINE_REPACK_CACHE_LIMIT", "lots"))) {
            CliTest.Run list = CliTest.run("cache", "list");
            assertThat(list.exit()).isNotZero();
            assertThat(list.err()).contains("PEREGRINE_REPACK_CACHE_LIMIT=lots is not a size");
        }
    }

    @Test
    void aMissingSubcommandIsAnError() {
        CliTest.Run r = CliTest.run("cache");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required subcommand");
    }
}
