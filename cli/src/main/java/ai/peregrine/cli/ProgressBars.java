package ai.peregrine.cli;

import ai.peregrine.engine.convert.ProgressListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows the engine's progress reports (quantizing, converting) on stderr: a redrawn progress bar on a terminal, else
 * one line per tenth (logs stay readable). One bar per task; closing ends the last one.
 */
final class ProgressBars implements ProgressListener, AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private String task;
    private ProgressBar bar;
    private long lastTenth;

    ProgressBars(PrintWriter err) {
        this(err, System.console() != null && System.console().isTerminal());
    }

    ProgressBars(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(String task, long done, long total) {
        if (!task.equals(this.task)) {
            close();
            this.task = task;
            lastTenth = -1;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit("M weights", 1_000_000)
                        .setUpdateIntervalMillis(250)
                        .setConsumer(new DelegatingProgressBarConsumer(line -> {
                            err.print('\r' + line);
                            err.flush();
                        }, 100))
                        .build();
            }
        }
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        long tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth != lastTenth) {
            lastTenth = tenth;
            err.printf("peregrine: %s %d%% (%,d of %,d weights)%n", task, tenth * 10, done, total);
            err.flush();
        }
    }

    @Override
    public synchronized void note(String message) {
        close();
        err.println("peregrine: " + message);
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            err.println();
            err.flush();
            bar = null;
        }
        task = null;
    }
}
