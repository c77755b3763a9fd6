package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Once compiled, a decode step allocates nothing on the heap: no per-token garbage, no GC pauses from decoding. */
class DecodeAllocationTest {
    @ParameterizedTest
    @EnumSource(KvCacheType.class)
    void decodeStepsAllocateNothingOnceWarm(KvCacheType kv) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TransformerModel model = ModelLoader.loadDemo(LoadOptions.threads(1).withKvCacheType(kv));
             Session session = model.newSession(256)) {
            int[] token = {100};
            // warm up until the JIT has compiled the decode path (the interpreter and C1 allocate vector boxes): 40
            // rounds, then on until a round allocates nothing (a second cache type deoptimizes and recompiles attention)
            for (int round = 0, clean = 0; round < 40 || clean == 0 && round < 200; round++) {
                session.truncate(0);
                long start = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    token[0] = 100 + i;
                    session.forward(token, 0, 1, null);
                }
                clean = mx.getCurrentThreadAllocatedBytes() - start < 200 * 16 ? clean + 1 : 0;
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

    /**
     * A repacked Q4_0 model's plain decode, embedding lookup included: on AVX-512 hosts nothing else decodes its rows
     * one by one, so a Vector API row decode stayed in C1 and boxed (~134 KB per TinyLlama token).
     */
    @Test
    void aRepackedQ4_0ModelDecodesWithoutGarbage() {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TransformerModel model = BatchDecoderTest.load("llama-q4_0", 1); Session session = model.newSession(256)) {
            assertThat(model.weights().tokenEmbedding()).isInstanceOf(ai.peregrine.engine.tensor.Q4_0x8Matrix.class);
            int[] token = {10};
            long perToken = Long.MAX_VALUE;
            for (int round = 0; round < 30; round++) {
                session.truncate(0);
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) {
                    token[0] = 10 + i;
                    session.forward(token, 0, 1, null);
                }
                perToken = Math.min(perToken, (mx.getCurrentThreadAllocatedBytes() - before) / 200);
            }
            assertThat(perToken).as("bytes allocated per decoded token, the quietest round").isLessThan(16);
        }
    }

    /**
     * Batched steps of eight and of seven sequences (the q8_0/q4_0 kernels that share each decoded block; on AVX-512
     * q8_0's token-pair kernels for four pairs, then two, one and a token alone; q5_1 row by row) allocate no garbage
     * per weight row: at most a small scratch array per matrix call. On one thread, so the current thread's
     * allocation counter sees all of it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama-q8_0", "llama-q4_0", "llama-q5_1"})
    void batchedDecodeStepsAllocateNoGarbagePerRow(String name) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TransformerModel model = BatchDecoderTest.load(name, 1)) {
            BatchDecoder decoder = model.newBatchDecoder(8);
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < 8; i++) sessions.add(model.newSession(256));
            List<Session> seven = sessions.subList(0, 7);
            int[] next = new int[8];
            long perStep = Long.MAX_VALUE;
            for (int round = 0; round < 30; round++) {
                for (Session s : sessions) s.truncate(0);
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100; i++) {
                    for (int j = 0; j < 8; j++) next[j] = 10 + i + j;
                    decoder.decode(sessions, next);
                    decoder.decode(seven, next);
                }
                // the quietest round: C2 may compile (or recompile after a deoptimization) late in a busy JVM, and the
                // interpreter boxes vectors; compiled kernels that make garbage make it in every round
                perStep = Math.min(perStep, (mx.getCurrentThreadAllocatedBytes() - before) / 100);
            }
            // the model has ~2,600 weight rows; a boxed accumulator per row would be hundreds of KB per step
            assertThat(perStep).as("bytes allocated per pair of batched decode steps (8, then 7)").isLessThan(4096);
        }
    }
}
