package ai.peregrine.deploy;

/** A resource that exists (or existed) in AWS: its kind, its id or name, and its ARN where it has one. */
public record RecordedResource(ResourceKind kind, String id, String arn) {}
