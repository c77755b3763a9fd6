package ai.peregrine.deploy;

import java.util.function.Consumer;

/** Saves each resource to the state file the moment it is known to exist, and tells the user. */
final class Recorder {
    private final DeploymentState state;
    private final StateStore store;
    private final Consumer<String> progress;

    Recorder(DeploymentState state, StateStore store, Consumer<String> progress) {
        this.state = state;
        this.store = store;
        this.progress = progress;
    }

    DeploymentState state() {
        return state;
    }

    void say(String line) {
        progress.accept(line);
    }

    void created(ResourceKind kind, String id, String arn) {
        save(kind, id, arn);
        say("  + " + kind.label() + " " + id + " created");
    }

    void existing(ResourceKind kind, String id, String arn) {
        save(kind, id, arn);
        say("  = " + kind.label() + " " + id + " exists already (kept)");
    }

    void save(ResourceKind kind, String id, String arn) {
        state.put(new RecordedResource(kind, id, arn));
        store.save(state);
    }

    void forget(ResourceKind kind) {
        state.remove(kind);
        store.save(state);
    }
}
