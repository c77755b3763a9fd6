package ai.peregrine.deploy;

import java.util.function.Predicate;
import java.util.function.Supplier;

/** Retries a call that fails while a just-created IAM role propagates (IAM is eventually consistent). */
final class Retries {
    private Retries() {}

    static <T> T whileRoleIsPropagating(Timing timing, Predicate<RuntimeException> propagating, Supplier<T> call,
                                        Recorder out) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!propagating.test(e) || attempt > timing.roleRetries()) throw e;
                if (attempt == 1) out.say("    (waiting for the new IAM role to propagate)");
                timing.sleep(timing.roleRetryDelay());
            }
        }
    }
}
