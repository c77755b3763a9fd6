package ai.peregrine.cli;

import ai.peregrine.deploy.StateStore;
import java.util.List;

/** Picks the deployment a command is about: --name, else the only recorded one. */
final class DeploymentNames {
    private DeploymentNames() {}

    static String pick(String name, StateStore store) {
        if (name != null) return name;
        List<String> names = store.names();
        if (names.size() == 1) return names.get(0);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no deployments recorded in " + store.dir() + "; pass --name");
        }
        throw new IllegalArgumentException("several deployments recorded (" + String.join(", ", names) + "); pass --name");
    }
}
