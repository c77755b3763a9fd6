package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams well-formed random tensor bytes quickly for benchmark-sized models: values come from a
 * 256-entry table of Gaussians indexed by random bytes instead of one Gaussian per element, and
 * quantized blocks get a near-constant scale. Finite everywhere; not a faithful weight distribution.
 */
final class FastRandomBlocks {
    private static final int CHUNK_BLOCKS = 1 << 15;

    private FastRandomBlocks() {}

    static void write(GgmlType type, long elements, double std, TensorRandom rnd, OutputStream out) throws IOException {
        switch (type) {
            case Q8_0 -> q8_0(elements, std, rnd, out);
            case Q4_0 -> q4_0(elements, std, rnd, out);
            case Q4_K, Q5_K, Q6_K -> kQuant(type, elements, std, rnd, out);
            case F32, F16, BF16 -> byTable(type, elements, std, rnd, out);
            default -> throw new IllegalArgumentException("fast mode does not write " + type);
        }
    }

    private static void q8_0(long elements, double std, TensorRandom rnd, OutputStream out) throws IOException {
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) table[i] = (byte) Math.max(-127, Math.min(127, Math.round(rnd.nextGaussian() * 42)));
        short scale = Float.floatToFloat16((float) (std / 42));
        blocks(elements / 32, 34, rnd, out, (buf, o, rand, r) -> {
            GgmlEncoding.putShort(buf, o, (short) (scale ^ (rand[r] & 7)));
            for (int j = 0; j < 32; j++) buf[o + 2 + j] = table[rand[r + 1 + j] & 0xff];
        });
    }

    private static void q4_0(long elements, double std, TensorRandom rnd, OutputStream out) throws IOException {
        short scale = Float.floatToFloat16((float) (std / 4.6)); // uniform nibbles minus 8 have std ~4.6
        blocks(elements / 32, 18, rnd, out, (buf, o, rand, r) -> {
            GgmlEncoding.putShort(buf, o, (short) (scale ^ (rand[r] & 7)));
            System.arraycopy(rand, r + 1, buf, o + 2, 16);
        });
    }

    /**
     * Random codes and quants with super-block factors that give roughly zero mean and std {@code std}: random
     * 6-bit scales average 32 and minimums offset the mean level (7.5 for q4_K, 15.5 for q5_K); q6_K's int8 scales
     * average |64| around 0.
     */
    private static void kQuant(GgmlType type, long elements, double std, TensorRandom rnd, OutputStream out) throws IOException {
        double levelStd = type == GgmlType.Q4_K ? 4.6 : type == GgmlType.Q5_K ? 9.2 : 18.5;
        double scaleMean = type == GgmlType.Q6_K ? 64 : 32;
        short d = Float.floatToFloat16((float) (std / (scaleMean * levelStd)));
        short dmin = Float.floatToFloat16((float) (std / (scaleMean * levelStd) * (type == GgmlType.Q4_K ? 7.5 : 15.5)));
        int bytes = type.blockBytes;
        blocks(elements / 256, bytes, rnd, out, (buf, o, rand, r) -> {
            System.arraycopy(rand, r, buf, o, bytes);
            if (type == GgmlType.Q6_K) {
                GgmlEncoding.putShort(buf, o + 208, d);
            } else {
                GgmlEncoding.putShort(buf, o, d);
                GgmlEncoding.putShort(buf, o + 2, dmin);
            }
        });
    }

    private interface BlockFiller {
        /** Fills one block at buf[o..] from random bytes rand[r..r+blockBytes). */
        void fill(byte[] buf, int o, byte[] rand, int r);
    }

    private static void blocks(long nBlocks, int blockBytes, TensorRandom rnd, OutputStream out, BlockFiller filler) throws IOException {
        byte[] buf = new byte[CHUNK_BLOCKS * blockBytes];
        byte[] rand = new byte[CHUNK_BLOCKS * blockBytes];
        for (long done = 0; done < nBlocks; ) {
            int n = (int) Math.min(CHUNK_BLOCKS, nBlocks - done);
            rnd.random.nextBytes(rand);
            for (int b = 0; b < n; b++) filler.fill(buf, b * blockBytes, rand, b * blockBytes);
            out.write(buf, 0, n * blockBytes);
            done += n;
        }
    }

    private static void byTable(GgmlType type, long elements, double std, TensorRandom rnd, OutputStream out) throws IOException {
        int width = type == GgmlType.F32 ? 4 : 2;
        float[] values = new float[256];
        for (int i = 0; i < 256; i++) values[i] = (float) (rnd.nextGaussian() * std);
        byte[] table = new byte[256 * width];
        GgmlEncoding.encode(type, values, 0, 256, table, 0);
        int chunk = 1 << 20;
        byte[] rand = new byte[chunk];
        byte[] buf = new byte[chunk * width];
        for (long done = 0; done < elements; ) {
            int n = (int) Math.min(chunk, elements - done);
            rnd.random.nextBytes(rand);
            for (int i = 0; i < n; i++) {
                int t = (rand[i] & 0xff) * width;
                for (int k = 0; k < width; k++) buf[i * width + k] = table[t + k];
            }
            out.write(buf, 0, n * width);
            done += n;
        }
    }
}
