package ai.peregrine.hub;

import java.io.IOException;
import java.nio.file.FileSystemException;

/** Recognizes a full disk in the IOExceptions the JDK throws (ENOSPC, and EDQUOT for a full quota). */
final class DiskErrors {
    private DiskErrors() {}

    static boolean isDiskFull(IOException e) {
        String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                || m.contains("There is not enough space on the disk"));
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format("%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format("%.1f MiB", n / (1024.0 * 1024));
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
