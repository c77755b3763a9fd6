package ai.peregrine.engine.synthetic;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The random stream of one tensor: seeded from the model seed and the tensor name, so each tensor's values
 * are independent of the others and of write order. Gaussians use Box-Muller over StrictMath, which gives
 * the same bits on every JVM and CPU (Math.log/cos may be intrinsified differently).
 */
final class TensorRandom {
    final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    TensorRandom(long modelSeed, String tensorName) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the UTF-8 name
        for (byte b : tensorName.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        random = new SplittableRandom(modelSeed ^ h);
    }

    double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double a = 2.0 * Math.PI * u2;
        spare = r * StrictMath.sin(a);
        hasSpare = true;
        return r * StrictMath.cos(a);
    }
}
