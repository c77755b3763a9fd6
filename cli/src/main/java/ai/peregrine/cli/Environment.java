package ai.peregrine.cli;

import java.util.Map;

/** The process environment, which the CLI's tests replace (a JVM cannot change its own). */
final class Environment {
    private static volatile Map<String, String> override;

    private Environment() {}

    static Map<String, String> get() {
        Map<String, String> o = override;
        return o != null ? o : System.getenv();
    }

    /** Until the returned handle is closed, {@link #get} answers {@code env}. */
    static AutoCloseable replacedBy(Map<String, String> env) {
        override = Map.copyOf(env);
        return () -> override = null;
    }
}
