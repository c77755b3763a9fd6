package ai.peregrine.server;

import ai.peregrine.engine.model.KvCacheType;
import ai.peregrine.engine.model.LanguageModel;
import java.util.Locale;

/**
 * The KV caches are made once, at start: MAX_BATCH_SIZE sessions of MAX_TOTAL_TOKENS positions each, on the JVM heap.
 * A budget that cannot fit is refused before anything is allocated, with the sizes and what to change, rather than
 * ending in an OutOfMemoryError halfway through making the sessions (a 7B model with full multi-head attention needs
 * 1 MiB per position: 8 × 4096 positions are 32 GiB).
 */
final class KvCacheBudget {
    private KvCacheBudget() {}

    static void check(LanguageModel model, ServerConfig config) {
        int slots = config.maxBatchSize(), positions = config.maxTotalTokens();
        // loading leaves garbage behind: count only what is live before refusing
        if (bytesNeeded(model, slots, positions) > heapFree()) System.gc();
        check(model, slots, positions, heapFree());
    }

    private static long bytesNeeded(LanguageModel model, int slots, int positions) {
        return model.kvBytesPerPosition() * slots * positions;
    }

    private static long heapFree() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** @throws IllegalArgumentException when {@code slots × positions} positions of KV cache need more than {@code heapFree} bytes */
    static void check(LanguageModel model, int slots, int positions, long heapFree) {
        long need = bytesNeeded(model, slots, positions);
        if (need <= heapFree) return;
        KvCacheType type = model.kvCacheType();
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "the KV cache for MAX_BATCH_SIZE=%d sequences of MAX_TOTAL_TOKENS=%d positions needs %s (%s per position, %s), "
                        + "but the JVM heap has %s free: lower MAX_BATCH_SIZE or MAX_TOTAL_TOKENS, %sor give the JVM more heap "
                        + "(PEREGRINE_JAVA_OPTS=-Xmx...)", slots, positions, bytes(need), bytes(model.kvBytesPerPosition()),
                type.label(), bytes(heapFree), type == KvCacheType.F32 ? "store it in halves (KV_CACHE_DTYPE=f16), " : ""));
    }

    static String bytes(long n) {
        if (n >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        if (n >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        if (n >= 1L << 10) return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        return n + " B";
    }
}
