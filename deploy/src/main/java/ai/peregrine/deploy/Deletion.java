package ai.peregrine.deploy;

/** What a delete call found. */
public enum Deletion {
    DELETED, ALREADY_GONE;

    /** Runs a delete call; a not-found answer means someone (or an earlier run) removed it already. */
    static Deletion of(Runnable delete) {
        try {
            delete.run();
            return DELETED;
        } catch (RuntimeException e) {
            if (AwsErrors.isNotFound(e)) return ALREADY_GONE;
            throw e;
        }
    }
}
