package ai.peregrine.engine.tensor;

import ai.peregrine.engine.gguf.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The deterministic inputs of {@link GgmlQuantizerGoldenTest}, and (as a command line for
 * tools/oracle/regen-quantizer-goldens.sh) their files for ggml: {@code values.f32} (rows of 512 floats: Gaussians
 * of many scales and offsets plus edge cases) and {@code random-<type>.bin} (random super-blocks with sane factors).
 */
public final class QuantizerGoldenInputs {
    static final int ROWS = 64;
    static final int COLS = 512;
    static final GgmlType[] TYPES = {GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q5_0, GgmlType.Q5_1};

    private QuantizerGoldenInputs() {}

    static float[] values() {
        SplittableRandom rnd = new SplittableRandom(20251128);
        float[] v = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            int o = r * COLS;
            double std = Math.pow(10, -3 + 4 * rnd.nextDouble());
            double mean = r >= 8 && r % 3 == 0 ? std * (2 * rnd.nextDouble() - 1) : 0;
            for (int i = 0; i < COLS; i++) {
                v[o + i] = switch (r) {
                    case 0 -> 0f;                                                   // all zero
                    case 1 -> 0.5f;                                                 // constant
                    case 2 -> (float) rnd.nextDouble();                             // all positive
                    case 3 -> (float) -rnd.nextDouble();                            // all negative
                    case 4 -> (float) (1e-20 * rnd.nextGaussian());                 // below ggml's group epsilon
                    case 5 -> (float) (i % 32 == 7 ? 50 * rnd.nextGaussian() : rnd.nextGaussian()); // outliers
                    case 6 -> i < 256 ? 0f : (float) rnd.nextGaussian();            // one empty super-block
                    case 7 -> (float) (rnd.nextInt(16) - 8);                        // exact small integers
                    default -> (float) (mean + std * rnd.nextGaussian());
                };
            }
        }
        return v;
    }

    /** Random super-blocks whose fp16 factors are finite and positive: every scale and minimum code appears. */
    static byte[] randomBlocks(GgmlType type) {
        SplittableRandom rnd = new SplittableRandom(7 + type.id);
        byte[] b = new byte[(int) type.bytesFor((long) ROWS * COLS)];
        rnd.nextBytes(b);
        for (int at = 0; at < b.length; at += type.blockBytes) {
            if (type == GgmlType.Q6_K) {
                putHalf(b, at + 208, (float) (0.001 + 0.01 * rnd.nextDouble()));
            } else if (type == GgmlType.Q5_0) {
                putHalf(b, at, (float) (0.001 + 0.01 * rnd.nextDouble())); // then the fifth bits
            } else {
                putHalf(b, at, (float) (0.001 + 0.01 * rnd.nextDouble()));
                putHalf(b, at + 2, (float) (0.01 * rnd.nextDouble()));
            }
        }
        return b;
    }

    private static void putHalf(byte[] b, int at, float v) {
        short h = Float.floatToFloat16(v);
        b[at] = (byte) h;
        b[at + 1] = (byte) (h >>> 8);
    }

    static byte[] littleEndian(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) buf.putFloat(f);
        return buf.array();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: QuantizerGoldenInputs DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.write(dir.resolve("values.f32"), littleEndian(values()));
        for (GgmlType t : TYPES) Files.write(dir.resolve("random-" + t.name().toLowerCase(java.util.Locale.ROOT).replace("_k", "_K") + ".bin"), randomBlocks(t));
    }
}
