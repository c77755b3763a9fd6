package ai.peregrine.engine.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerPoolTest {
    /** Back-to-back tiny jobs are where a late worker could steal or double-count a chunk of the next job. */
    @Test
    @Timeout(60)
    void everyIndexRunsExactlyOnceAcrossManyBackToBackJobs() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int job = 0; job < 200_000; job++) {
                int size = 1 + job % 37;
                int[] hits = new int[size];
                pool.parallelFor(size, 1, (s, e) -> {
                    for (int i = s; i < e; i++) hits[i]++;
                });
                for (int i = 0; i < size; i++) {
                    if (hits[i] != 1) throw new AssertionError("job " + job + " index " + i + " ran " + hits[i] + " times");
                }
            }
        }
    }

    @Test
    void sumsMatchAndWorkIsShared() {
        try (WorkerPool pool = new WorkerPool(2)) {
            LongAdder sum = new LongAdder();
            AtomicLong workerChunks = new AtomicLong();
            for (int rep = 0; rep < 1000; rep++) {
                pool.parallelFor(10_000, 100, (s, e) -> {
                    if (WorkerPool.workerIndex() != 0) workerChunks.incrementAndGet();
                    for (int i = s; i < e; i++) sum.add(i);
                });
            }
            assertThat(sum.sum()).isEqualTo(1000L * (10_000L * 9_999 / 2));
            assertThat(workerChunks.get()).as("chunks run by the pool thread").isPositive();
        }
    }

    @Test
    @Timeout(10)
    void aFailingChunkIsRethrownToTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(64, 1, (s, e) -> {
                if (s <= 40 && 40 < e) throw new IllegalStateException("boom at 40");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom at 40");
            int[] hits = new int[64];
            pool.parallelFor(64, 1, (s, e) -> {
                for (int i = s; i < e; i++) hits[i]++;
            });
            assertThat(hits).containsOnly(1);
        }
    }
}
