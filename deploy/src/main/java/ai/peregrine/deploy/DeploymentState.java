package ai.peregrine.deploy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a deployment has created so far; saved after every change, so that nothing created goes unrecorded.
 * Plain mutable bean for Jackson.
 */
public final class DeploymentState {
    public static final String AWS = "aws";
    public static final String LOCAL = "local";

    /** {@link #AWS}, or {@link #LOCAL} for a running {@code ./peregrine serve} (state files without it are AWS). */
    public String kind = AWS;
    public String name;
    public String region;
    public String account;
    public String modelId;
    public String invokeUrl;
    /** Local deployments: the serve port's base URL (SageMaker Runtime routes). */
    public String runtimeUrl;
    public String createdAt;
    public List<RecordedResource> resources = new ArrayList<>();

    public DeploymentState() {}

    public DeploymentState(String name, String region, String account, String modelId) {
        this.name = name;
        this.region = region;
        this.account = account;
        this.modelId = modelId;
        this.createdAt = java.time.Instant.now().toString();
    }

    @JsonIgnore
    public boolean isLocal() {
        return LOCAL.equals(kind);
    }

    public Optional<RecordedResource> find(ResourceKind kind) {
        return resources.stream().filter(r -> r.kind() == kind).findFirst();
    }

    public void put(RecordedResource resource) {
        resources.removeIf(r -> r.kind() == resource.kind());
        resources.add(resource);
        resources.sort(Comparator.comparing(RecordedResource::kind));
    }

    public void remove(ResourceKind kind) {
        resources.removeIf(r -> r.kind() == kind);
    }
}
