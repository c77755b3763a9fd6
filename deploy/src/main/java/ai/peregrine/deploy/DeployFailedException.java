package ai.peregrine.deploy;

import java.util.List;

/** A deploy stopped part-way; the message names what exists and how to remove it. */
public final class DeployFailedException extends RuntimeException {
    private final List<RecordedResource> existing;

    public DeployFailedException(String deployment, Throwable cause, List<RecordedResource> existing) {
        super(message(deployment, cause, existing), cause);
        this.existing = List.copyOf(existing);
    }

    public List<RecordedResource> existing() {
        return existing;
    }

    private static String message(String deployment, Throwable cause, List<RecordedResource> existing) {
        StringBuilder m = new StringBuilder("deploy of '" + deployment + "' stopped: " + AwsErrors.describe(cause));
        if (existing.isEmpty()) return m.append("; nothing was created").toString();
        m.append("; these resources exist and are recorded:");
        for (RecordedResource r : existing) m.append("\n    ").append(r.kind().label()).append(": ").append(r.id());
        return m.append("\n  remove them with: ./peregrine cleanup --name ").append(deployment)
                .append("   (or fix the cause and run the same deploy again: it keeps what exists)").toString();
    }
}
