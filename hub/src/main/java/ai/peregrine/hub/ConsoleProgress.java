package ai.peregrine.hub;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars (me.tongfei:progressbar) per file of 1 MiB or more: redrawn in place on a terminal, and as plain lines every
 * few seconds when stderr is a file or a pipe (logs, CI), so they stay readable there.
 */
public final class ConsoleProgress implements DownloadProgress {
    private static final long MB = 1024 * 1024;
    private static final long SMALL = MB;
    private final PrintWriter lines;

    private ConsoleProgress(PrintWriter lines) {
        this.lines = lines;
    }

    /** Bars drawn by progressbar on the terminal's stderr. */
    public static ConsoleProgress onTerminal() {
        return new ConsoleProgress(null);
    }

    /** Bars written as lines to {@code out}. */
    public static ConsoleProgress asLines(PrintWriter out) {
        return new ConsoleProgress(out);
    }

    /** On the terminal when stderr is one, else as lines to {@code err}. */
    public static ConsoleProgress forStderr(PrintWriter err) {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? onTerminal() : asLines(err);
    }

    @Override
    public FileProgress start(String file, long size, long alreadyDownloaded) {
        if (size < SMALL) return NONE.start(file, size, alreadyDownloaded); // JSON files: done before a bar would draw
        boolean big = size >= 100 * MB;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(shortName(file)).setInitialMax(Math.max(size, 0))
                .setUnit(big ? " MB" : " KB", big ? MB : 1024).showSpeed().startsFrom(alreadyDownloaded, Duration.ZERO);
        if (lines != null) {
            String[] last = {""};
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(5000)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> {
                        String l = line.strip();
                        synchronized (lines) {
                            if (l.equals(last[0])) return; // the final state is rendered twice (last refresh, close)
                            last[0] = l;
                            lines.println(l);
                            lines.flush();
                        }
                    }, 100));
        }
        ProgressBar bar = b.build();
        return new FileProgress() {
            @Override
            public void advance(long bytes) {
                bar.stepBy(bytes);
            }

            @Override
            public void restartAt(long position) {
                bar.stepTo(position);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }

    private static String shortName(String file) {
        return file.length() <= 32 ? file : "…" + file.substring(file.length() - 31);
    }
}
