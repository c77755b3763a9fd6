package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Once compiled, a decode step allocates nothing on the heap: no per-token garbage, no GC pauses from decoding. */
class DecodeAllocationTest {
    @Test
    void decodeStepsAllocateNothingOnceWarm() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TransformerModel model = ModelLoader.loadDemo(1); Session session = model.newSession(256)) {
            int[] token = {100};
            // warm up until the JIT has compiled the decode path (the interpreter and C1 allocate vector boxes)
            for (int round = 0; round < 40; round++) {
                session.truncate(0);
                for (int i = 0; i < 200; i++) {
                    token[0] = 100 + i;
                    session.forward(token, 0, 1, null);
                }
            }
            session.truncate(0);
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200; i++) {
                token[0] = 100 + i;
                session.forward(token, 0, 1, null);
            }
            long perToken = (mx.getCurrentThreadAllocatedBytes() - before) / 200;
            // under one object per token: nothing is allocated per step
            assertThat(perToken).as("bytes allocated per decoded token").isLessThan(16);
        }
    }
}
