package ai.peregrine.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The f16 KV cache's conversions against Float's, value by value, at every length up to past four vectors. */
class HalfFloatsTest {
    private static float[] values(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double magnitude = Math.pow(2, r.nextInt(-26, 16)); // subnormal halves (below 2^-14) to near the top
            a[i] = (float) ((r.nextBoolean() ? 1 : -1) * magnitude * (1 + r.nextDouble()));
        }
        return a;
    }

    @Test
    void storesTheNearestHalfAndWidensItBackExactly() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n <= 70; n++) {
            float[] a = values(r, n);
            short[] h = new short[n + 3];
            HalfFloats.store(a, 0, h, 3, n);
            float[] wide = new float[n + 2], rounded = a.clone();
            HalfFloats.widen(h, 3, wide, 2, n);
            HalfFloats.round(rounded, 0, rounded, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(h[3 + i]).isEqualTo(Float.floatToFloat16(a[i]));
                assertThat(wide[2 + i]).isEqualTo(Float.float16ToFloat(h[3 + i]));
                assertThat(rounded[i]).isEqualTo(wide[2 + i]);
            }
            if (n > 8) assertThat(rounded).isNotEqualTo(a);
        }
    }
}
