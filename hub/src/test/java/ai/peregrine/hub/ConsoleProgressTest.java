package ai.peregrine.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    @Test
    void barsWrittenAsLinesShowTheFileAndItsProgressInMegabytes() {
        StringWriter out = new StringWriter();
        DownloadProgress progress = ConsoleProgress.asLines(new PrintWriter(out));
        try (DownloadProgress.FileProgress bar = progress.start("model-00001-of-00002.safetensors", 4L << 20, 1L << 20)) {
            bar.advance(3L << 20);
        }
        String text = out.toString();
        assertThat(text).contains("model-00001-of-00002.safetensors", "100%", "4096/4096 KB");
        assertThat(text.lines().toList().getLast()).contains("100%");
    }

    @Test
    void smallFilesGetNoBar() {
        StringWriter out = new StringWriter();
        try (DownloadProgress.FileProgress bar = ConsoleProgress.asLines(new PrintWriter(out)).start("config.json", 900, 0)) {
            bar.advance(900);
        }
        assertThat(out.toString()).isEmpty();
    }
}
