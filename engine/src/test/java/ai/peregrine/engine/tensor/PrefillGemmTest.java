package ai.peregrine.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.peregrine.engine.gguf.GgmlType;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The prompt-chunk product through token panels: right values, and the same bits however the work is cut. */
class PrefillGemmTest {
    private static final int ROWS = 37; // six tiles of six rows and one single row

    private static float[] prefill(WeightMatrix w, float[] x, int nTok, int r0, int r1) {
        TokenPanels panels = new TokenPanels();
        panels.set(x, nTok, w.cols());
        float[] out = new float[nTok * w.rows()];
        w.prefill(panels, out, w.rows(), 0, r0, r1);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void matchesADoublePrecisionProductOfTheDecodedRows(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(5 + type.id);
        matchesADoublePrecisionProduct(WeightMatrixKernelTest.randomMatrix(type, rnd), rnd);
    }

    @Test
    void repackedQ4_0MatchesADoublePrecisionProduct() {
        SplittableRandom rnd = new SplittableRandom(6);
        WeightMatrix w = Q4_0x8Matrix.repack(Q4_0x8MatrixTest.mapped(40, rnd));
        assertThat(w).isInstanceOf(Q4_0x8Matrix.class);
        matchesADoublePrecisionProduct(w, rnd);
    }

    private static void matchesADoublePrecisionProduct(WeightMatrix w, SplittableRandom rnd) {
        int cols = w.cols(), rows = w.rows();
        int nTok = 2 * TokenPanels.WIDTH + 5; // two full panels and a padded one
        float[] x = WeightMatrixKernelTest.gaussians(rnd, nTok * cols);
        float[] out = prefill(w, x, nTok, 0, rows);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.dequantizeRow(r, row, 0);
            for (int t = 0; t < nTok; t++) {
                double expected = WeightMatrixKernelTest.referenceDot(row, x, t * cols);
                assertThat((double) out[t * rows + r]).as("row %d token %d", r, t).isCloseTo(expected, within(1e-3 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    /** A token's result does not depend on its lane, its panel, the chunk's length or the row range. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_0", "Q6_K"})
    void aTokenGetsTheSameBitsInAnyChunkAndRowRange(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(9 + type.id);
        WeightMatrix w = WeightMatrixKernelTest.randomMatrix(type, rnd);
        int cols = w.cols();
        int nTok = 2 * TokenPanels.WIDTH + 3;
        float[] x = WeightMatrixKernelTest.gaussians(rnd, nTok * cols);
        float[] all = prefill(w, x, nTok, 0, ROWS);
        for (int from : new int[] {1, 5, TokenPanels.WIDTH - 2, TokenPanels.WIDTH + 7}) {
            int n = Math.min(TokenPanels.WIDTH + 3, nTok - from);
            float[] window = Arrays.copyOfRange(x, from * cols, (from + n) * cols);
            float[] part = prefill(w, window, n, 0, ROWS);
            for (int t = 0; t < n; t++) {
                for (int r = 0; r < ROWS; r++) {
                    assertThat(part[t * ROWS + r]).as("row %d token %d from %d", r, from + t, from).isEqualTo(all[(from + t) * ROWS + r]);
                }
            }
        }
        float[] split = new float[nTok * ROWS];
        TokenPanels panels = new TokenPanels();
        panels.set(x, nTok, cols);
        int[] bounds = {0, 5, 6, 13, 20, 31, ROWS}; // ranges that move rows between tiles and the single-row path
        for (int i = 0; i + 1 < bounds.length; i++) w.prefill(panels, split, ROWS, 0, bounds[i], bounds[i + 1]);
        assertThat(split).containsExactly(all);
    }

    /**
     * Repacked Q4_0 on an AVX-512 host decodes whole groups of 8 rows and runs the 8-row tile; rows outside whole groups
     * take the one-row path. Both give every row the same bits, and the group decode the row decode's values.
     */
    @Test
    void repackedQ4_0GetsTheSameBitsThroughGroupsAndSingleRows() {
        SplittableRandom rnd = new SplittableRandom(8);
        Q4_0x8Matrix w = (Q4_0x8Matrix) Q4_0x8Matrix.repack(Q4_0x8MatrixTest.mapped(40, rnd));
        int rows = w.rows(), cols = w.cols();
        if (Q4_0x8Matrix.decodesGroups()) {
            float[] group = new float[8 * cols], row = new float[cols];
            for (int g = 0; g < rows / 8; g++) {
                w.dequantizeGroup(g, group);
                for (int i = 0; i < 8; i++) {
                    w.dequantizeRow(8 * g + i, row, 0);
                    for (int k = 0; k < cols; k++) {
                        assertThat(group[(k & ~1) * 8 + 2 * i + (k & 1)]).as("row %d column %d", 8 * g + i, k).isEqualTo(row[k]);
                    }
                }
            }
        }
        int nTok = TokenPanels.WIDTH + 9;
        float[] x = WeightMatrixKernelTest.gaussians(rnd, nTok * cols);
        float[] all = prefill(w, x, nTok, 0, rows);
        TokenPanels panels = new TokenPanels();
        panels.set(x, nTok, cols);
        float[] single = new float[nTok * rows];
        for (int r = 0; r < rows; r++) w.prefill(panels, single, rows, 0, r, r + 1);
        assertThat(single).containsExactly(all);
        float[] cut = new float[nTok * rows];
        int[] bounds = {0, 3, 11, 16, 29, rows}; // partial groups at both ends of ranges, whole ones between
        for (int i = 0; i + 1 < bounds.length; i++) w.prefill(panels, cut, rows, 0, bounds[i], bounds[i + 1]);
        assertThat(cut).containsExactly(all);
    }

    @Test
    void onlyTheRowsOfTheRangeAreWritten() {
        SplittableRandom rnd = new SplittableRandom(3);
        WeightMatrix w = WeightMatrixKernelTest.randomMatrix(GgmlType.Q8_0, rnd);
        int nTok = TokenPanels.WIDTH;
        float[] out = prefill(w, WeightMatrixKernelTest.gaussians(rnd, nTok * w.cols()), nTok, 7, 20);
        for (int t = 0; t < nTok; t++) {
            for (int r = 0; r < ROWS; r++) {
                if (r < 7 || r >= 20) assertThat(out[t * ROWS + r]).as("row %d token %d", r, t).isZero();
                else assertThat(out[t * ROWS + r]).as("row %d token %d", r, t).isNotZero();
            }
        }
    }

    @Test
    void panelsOfAnotherWidthAreRefused() {
        SplittableRandom rnd = new SplittableRandom(4);
        WeightMatrix w = WeightMatrixKernelTest.randomMatrix(GgmlType.Q8_0, rnd);
        TokenPanels panels = new TokenPanels();
        panels.set(new float[8 * 64], 8, 64);
        assertThatThrownBy(() -> w.prefill(panels, new float[8 * ROWS], ROWS, 0, 0, ROWS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 columns");
    }
}
