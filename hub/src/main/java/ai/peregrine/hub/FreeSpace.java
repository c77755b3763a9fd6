package ai.peregrine.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Usable bytes on the file system of a folder (a seam so tests can pretend a disk is nearly full). */
@FunctionalInterface
public interface FreeSpace {
    FreeSpace OF_FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    long usableBytes(Path dir) throws IOException;
}
