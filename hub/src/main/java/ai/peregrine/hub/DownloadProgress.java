package ai.peregrine.hub;

/** Told about each file transfer: where it starts (a resumed file starts above 0), each chunk, and its end. */
public interface DownloadProgress {
    DownloadProgress NONE = (file, size, already) -> new FileProgress() {
        @Override
        public void advance(long bytes) {}

        @Override
        public void close() {}
    };

    FileProgress start(String file, long size, long alreadyDownloaded);

    /** One file's bar; closed when its transfer ends, whether it succeeded or not. */
    interface FileProgress extends AutoCloseable {
        void advance(long bytes);

        /** The transfer starts over from {@code position} (the server ignored a Range, or a retry resumed). */
        default void restartAt(long position) {}

        @Override
        void close();
    }
}
