package ai.peregrine.engine.tensor;

/**
 * GELU as ggml's CPU backend computes it: the tanh approximation, looked up in a table indexed by the
 * input rounded to fp16, with the result rounded to fp16; inputs beyond ±10 pass through (or give 0).
 * Hugging Face Falcon uses exact erf GELU; llama.cpp (our reference) uses this, and the difference is
 * ~3e-3 in log-probability, so we follow llama.cpp.
 */
public final class Gelu {
    private static final float[] TABLE = new float[1 << 16];
    private static final double C = Math.sqrt(2.0 / Math.PI);

    static {
        for (int i = 0; i < TABLE.length; i++) {
            float x = Float.float16ToFloat((short) i);
            float g = (float) (0.5 * x * (1.0 + Math.tanh(C * x * (1.0 + 0.044715 * x * x))));
            TABLE[i] = Float.float16ToFloat(Float.floatToFloat16(g));
        }
    }

    private Gelu() {}

    public static float ggml(float x) {
        if (x <= -10f) return 0f;
        if (x >= 10f) return x;
        return TABLE[Float.floatToFloat16(x) & 0xFFFF];
    }

    public static float tanhApprox(float x) {
        return (float) (0.5 * x * (1.0 + Math.tanh(C * x * (1.0 + 0.044715 * x * x))));
    }
}
