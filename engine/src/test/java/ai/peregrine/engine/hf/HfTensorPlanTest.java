package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The two row re-layouts, on shapes small enough to write out by hand (head dim 2). */
class HfTensorPlanTest {
    /** Falcon-7B: one group, so [q0 q1 q2 | k | v] is already llama.cpp's order. */
    @Test
    void falconMultiQueryKeepsItsOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, HfTensorPlan.falconQkvOrder(3, 1, 2));
    }

    /** Falcon-40B: groups [q0 q1 k0 v0][q2 q3 k1 v1] become [q0 q1 q2 q3][k0 k1][v0 v1]. */
    @Test
    void falconGroupsAreUninterleaved() {
        int[] expected = {
            0, 1, 2, 3, 8, 9, 10, 11, // q0 q1 (group 0), q2 q3 (group 1)
            4, 5, 12, 13, // k0, k1
            6, 7, 14, 15}; // v0, v1
        assertArrayEquals(expected, HfTensorPlan.falconQkvOrder(4, 2, 2));
    }

    /** Llama: per head, rows (a0 a1 a2 | b0 b1 b2) of rotate-half become pairs (a0 b0 a1 b1 a2 b2). */
    @Test
    void llamaRotateHalfRowsAreInterleavedPerHead() {
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}, HfTensorPlan.ropeInterleave(2, 6));
    }
}
