package ai.peregrine.deploy;

import java.util.Map;

/** One resource a deployment will create, with the settings that matter to whoever reads the plan. */
public record PlannedResource(ResourceKind kind, String name, Map<String, String> settings) {}
