package ai.peregrine.engine.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.peregrine.engine.gguf.GgmlType;
import org.junit.jupiter.api.Test;

class GgmlEncodingTest {
    @Test
    void q8_0ScalesByAbsMaxAndRoundsHalfAwayFromZero() {
        float[] x = new float[32];
        x[0] = -127f;
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.49999997f;
        byte[] out = new byte[34];
        assertEquals(34, GgmlEncoding.encode(GgmlType.Q8_0, x, 0, 32, out, 0));
        assertEquals(1.0f, Float.float16ToFloat((short) ((out[0] & 0xff) | (out[1] << 8))));
        assertEquals(-127, out[2]);
        assertEquals(3, out[3]);
        assertEquals(-3, out[4]);
        assertEquals(0, out[5]);
    }

    @Test
    void q4_0UsesSignedMaxOverMinusEightAndPacksHalvesIntoNibbles() {
        float[] x = new float[32];
        x[0] = -8f; // d = 1, quantizes to 0
        x[1] = 7f; // 15
        x[16] = 7.6f; // 16.1 clamps to 15
        x[17] = -0.4f; // 8.1 truncates to 8
        byte[] out = new byte[18];
        GgmlEncoding.encode(GgmlType.Q4_0, x, 0, 32, out, 0);
        assertEquals(1.0f, Float.float16ToFloat((short) ((out[0] & 0xff) | (out[1] << 8))));
        assertEquals(0x0 | (15 << 4), out[2] & 0xff);
        assertEquals(15 | (8 << 4), out[3] & 0xff);
        assertEquals(8 | (8 << 4), out[4] & 0xff);
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, GgmlEncoding.toBf16(Float.intBitsToFloat(0x3f808000))); // tie, even stays
        assertEquals((short) 0x3f82, GgmlEncoding.toBf16(Float.intBitsToFloat(0x3f818000))); // tie, odd rounds up
        assertEquals((short) 0x3f81, GgmlEncoding.toBf16(Float.intBitsToFloat(0x3f808001)));
    }
}
