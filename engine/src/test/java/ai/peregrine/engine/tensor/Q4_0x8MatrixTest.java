package ai.peregrine.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Q4_0 repacked in groups of 8 rows computes what the mapped layout computes, the same bits however it is asked. */
class Q4_0x8MatrixTest {
    private static final int ROWS = 40;
    private static final int COLS = 320;

    static Q4_0Matrix mapped(int rows, SplittableRandom rnd) {
        byte[] bytes = new byte[rows * COLS / 32 * 18];
        rnd.nextBytes(bytes);
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        for (int b = 0; b < rows * COLS / 32; b++) {
            seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 18L * b, Float.floatToFloat16((float) (0.01 + rnd.nextDouble() * 0.05)));
        }
        return new Q4_0Matrix(seg, rows, COLS);
    }

    private static QuantizedActivations activations(int nTok, boolean independentRows, SplittableRandom rnd, float[] rounded) {
        float[] x = new float[nTok * COLS];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (i % 41 == 0 ? 30 : 1));
        QuantizedActivations q = new QuantizedActivations(nTok, COLS, independentRows);
        q.quantize(x, nTok, COLS, rounded);
        return q;
    }

    @Test
    void rowsAreTheMappedRows() {
        Q4_0Matrix source = mapped(ROWS, new SplittableRandom(1));
        WeightMatrix packed = Q4_0x8Matrix.repack(source);
        assertThat(packed).isInstanceOf(Q4_0x8Matrix.class);
        float[] expected = new float[COLS], actual = new float[COLS];
        for (int r = 0; r < ROWS; r++) {
            source.dequantizeRow(r, expected, 0);
            packed.dequantizeRow(r, actual, 0);
            assertThat(actual).as("row %d", r).containsExactly(expected);
            java.util.Arrays.fill(actual, Float.NaN);
            packed.lookupRow(r, actual, 0);
            assertThat(actual).as("looked-up row %d", r).containsExactly(expected);
        }
    }

    @Test
    void integerKernelComputesTheDotOfRoundedActivations() {
        SplittableRandom rnd = new SplittableRandom(2);
        Q4_0Matrix source = mapped(ROWS, rnd);
        WeightMatrix packed = Q4_0x8Matrix.repack(source);
        int nTok = 7; // a batch of four and three single tokens
        float[] rounded = new float[nTok * COLS];
        QuantizedActivations q = activations(nTok, false, rnd, rounded);
        float[] out = new float[nTok * ROWS];
        packed.matmul(rounded, q, nTok, out, ROWS, 0, 0, ROWS);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r++) {
            source.dequantizeRow(r, row, 0);
            for (int t = 0; t < nTok; t++) {
                double expected = WeightMatrixKernelTest.referenceDot(row, rounded, t * COLS);
                assertThat((double) out[t * ROWS + r]).as("row %d token %d", r, t).isCloseTo(expected, within(1e-4 * (1 + Math.abs(expected))));
                assertThat(out[t * ROWS + r]).as("row %d token %d against the mapped kernel", r, t)
                        .isCloseTo(source.dotInt(r, q, t), within(1e-5f * (1 + Math.abs(out[t * ROWS + r]))));
            }
        }
    }

    /** Continuous batching relies on this: a sequence's numbers do not depend on its batch or the thread split. */
    @Test
    void aTokenGetsTheSameBitsAloneInABatchAndInAnyRowRange() {
        SplittableRandom rnd = new SplittableRandom(3);
        WeightMatrix packed = Q4_0x8Matrix.repack(mapped(ROWS, rnd));
        int nTok = 6;
        float[] rounded = new float[nTok * COLS];
        QuantizedActivations batch = activations(nTok, true, rnd, rounded);
        float[] together = new float[nTok * ROWS];
        packed.matmul(rounded, batch, nTok, together, ROWS, 0, 0, ROWS);

        float[] split = new float[nTok * ROWS];
        int[] bounds = {0, 3, 8, 13, 29, 30, ROWS}; // ranges that start and end inside groups
        for (int i = 0; i + 1 < bounds.length; i++) packed.matmul(rounded, batch, nTok, split, ROWS, 0, bounds[i], bounds[i + 1]);
        assertThat(split).containsExactly(together);

        for (int t = 0; t < nTok; t++) {
            float[] one = new float[COLS];
            System.arraycopy(rounded, t * COLS, one, 0, COLS);
            QuantizedActivations alone = new QuantizedActivations(1, COLS);
            alone.quantize(one, 1, COLS, new float[COLS]);
            float[] solo = new float[ROWS];
            packed.matmul(one, alone, 1, solo, ROWS, 0, 0, ROWS);
            for (int r = 0; r < ROWS; r++) {
                assertThat(solo[r]).as("token %d row %d", t, r).isEqualTo(together[t * ROWS + r]);
            }
            // alone over row ranges too: whole groups pair up across a range's halves, cut groups go one by one
            float[] soloSplit = new float[ROWS];
            for (int i = 0; i + 1 < bounds.length; i++) packed.matmul(one, alone, 1, soloSplit, ROWS, 0, bounds[i], bounds[i + 1]);
            assertThat(soloSplit).as("token %d in ranges", t).containsExactly(solo);
            float[] within = new float[ROWS];
            packed.matmul(one, alone, 1, within, ROWS, 0, 3, 5); // inside one group
            assertThat(within[3]).isEqualTo(solo[3]);
            assertThat(within[4]).isEqualTo(solo[4]);
            assertThat(within[5]).isZero();
        }
    }

    @Test
    void floatPathsAgreeWithTheRows() {
        SplittableRandom rnd = new SplittableRandom(4);
        WeightMatrix packed = Q4_0x8Matrix.repack(mapped(ROWS, rnd));
        int nTok = 5;
        float[] x = WeightMatrixKernelTest.gaussians(rnd, nTok * COLS);
        float[] out = new float[nTok * ROWS];
        packed.matmul(x, nTok, out, ROWS, 0, 0, ROWS);
        float[] row = new float[COLS];
        for (int r = 0; r < ROWS; r++) {
            packed.dequantizeRow(r, row, 0);
            for (int t = 0; t < nTok; t++) {
                double expected = WeightMatrixKernelTest.referenceDot(row, x, t * COLS);
                assertThat((double) packed.dot(r, x, t * COLS)).isCloseTo(expected, within(1e-3));
                assertThat((double) out[t * ROWS + r]).isCloseTo(expected, within(1e-3));
            }
        }
    }

    @Test
    void rowCountsThatAreNotAMultipleOfEightKeepTheMappedLayout() {
        Q4_0Matrix source = mapped(ROWS + 3, new SplittableRandom(5));
        assertThat(Q4_0x8Matrix.repack(source)).isSameAs(source);
    }
}
