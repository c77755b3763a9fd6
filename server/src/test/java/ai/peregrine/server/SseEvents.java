package ai.peregrine.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits an SSE body into events (blocks ended by a blank line), checking each line's framing. */
final class SseEvents {
    private SseEvents() {}

    /** The data payloads in order, with their "data:" prefix (and one optional space) removed; comments skipped. */
    static List<String> parse(String body) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        for (String line : body.split("\n", -1)) {
            if (line.isEmpty()) {
                if (data != null) events.add(data.toString());
                data = null;
            } else if (line.startsWith(":")) {
                continue;
            } else if (line.startsWith("data:")) {
                String d = line.substring(5);
                if (d.startsWith(" ")) d = d.substring(1);
                if (data == null) data = new StringBuilder(d);
                else data.append('\n').append(d);
            } else {
                throw new AssertionError("not an SSE line: " + line);
            }
        }
        if (data != null) throw new AssertionError("unterminated SSE event: " + data);
        return events;
    }

    /** Reads {@code n} events from a live stream, leaving it open. */
    static List<String> read(InputStream in, int n) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> events = new ArrayList<>();
        try {
            String line;
            while (events.size() < n && (line = r.readLine()) != null) {
                if (line.startsWith("data:")) events.add(line.substring(5));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
