package ai.peregrine.engine.parallel;

/** Work over an index range [start, end); must be safe to run concurrently on disjoint ranges. */
@FunctionalInterface
public interface RangeTask {
    void run(int start, int end);
}
