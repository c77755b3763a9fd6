package ai.peregrine.cli;

import ai.peregrine.engine.model.RepackCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cache", mixinStandardHelpOptions = true,
        description = "List or clear the repacked Q4_0 weights kept between runs, in $PEREGRINE_CACHE/repacked "
                + "(default ~/.cache/peregrine/repacked). An entry is as large as its model; the next load makes it again.")
final class CacheCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show each entry and its size.")
    int list() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = RepackCacheFolder.of(Environment.get());
        long limit = RepackCacheFolder.limit(Environment.get()); // a bad limit is named before anything is listed
        List<RepackCache.Entry> entries = RepackCache.entries(folder);
        if (entries.isEmpty()) {
            out.println("no repacked weights in " + folder);
            return 0;
        }
        out.println(folder);
        long total = 0;
        for (RepackCache.Entry e : entries) {
            String state = !e.writing() ? "" : e.orphan() ? "  (left half-written by a process that died)" : "  (being written by a running process)";
            out.printf("  %9s  %s%s%n", size(e.bytes()), e.path().getFileName(), state);
            total += e.bytes();
        }
        out.printf("%s in %d file%s, limit %s (%s; least recently used entries make room for new ones)%n", size(total),
                entries.size(), entries.size() == 1 ? "" : "s", size(limit), RepackCacheFolder.LIMIT_VARIABLE);
        return 0;
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Delete every entry, and half-written ones whose process died; files a running process is "
                    + "still writing are kept. A running server keeps reading an entry it has mapped until it exits.")
    int clear() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = RepackCacheFolder.of(Environment.get());
        List<RepackCache.Entry> deleted = RepackCache.clear(folder);
        long bytes = deleted.stream().mapToLong(RepackCache.Entry::bytes).sum();
        out.printf("deleted %d file%s (%s) from %s%n", deleted.size(), deleted.size() == 1 ? "" : "s", size(bytes), folder);
        long kept = RepackCache.entries(folder).size();
        if (kept > 0) out.printf("kept %d file%s a running process is writing%n", kept, kept == 1 ? "" : "s");
        return 0;
    }

    static String size(long bytes) {
        if (bytes < 1L << 20) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }
}
