package ai.peregrine.hub;

/** A download or cache lookup that cannot go on; the message names the repository, file or path and what to do. */
public final class HubException extends RuntimeException {
    /** What went wrong, for callers (and tests) that branch on it. */
    public enum Kind {
        REPO_NOT_FOUND, GATED, REVISION_NOT_FOUND, ENTRY_NOT_FOUND, UNAUTHORIZED, NO_SAFETENSORS, NOT_IN_CACHE,
        CHECKSUM_MISMATCH, DISK_FULL, HTTP_ERROR, NETWORK, BAD_RESPONSE
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
