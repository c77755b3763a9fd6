package ai.peregrine.benchmarks;

import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelConfig;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.model.TransformerModel;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a long greedy decode costs besides arithmetic: heap bytes allocated per token (all threads, the compute pool's
 * included), garbage collections during the decode, and the process's resident set against weights + KV cache.
 * Decodes {@code TOKENS} tokens once to warm the JIT, then again measured; prints one JSON object.
 * {@code java -cp peregrine-benchmarks.jar ai.peregrine.benchmarks.DecodeProfile MODEL.gguf [TOKENS] [THREADS] [REPACK_CACHE_DIR]}
 * (with a cache folder, repacked q4_0 weights are mapped from it as the CLI does, and count as file memory).
 */
public final class DecodeProfile {
    private DecodeProfile() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        LoadOptions options = LoadOptions.threads(threads);
        if (args.length > 3) options = options.withRepackCache(Path.of(args[3]));
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        try (TransformerModel model = ModelLoader.load(file, options);
             Session session = model.newSession(tokens + 16)) {
            decode(session, tokens); // warm-up: the interpreter and C1 box vectors until C2 has compiled the kernels
            long gcCount = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
            long gcMillis = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
            long[] ids = mx.getAllThreadIds();
            long[] before = mx.getThreadAllocatedBytes(ids);
            long start = System.nanoTime();
            decode(session, tokens);
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] after = mx.getThreadAllocatedBytes(ids);
            long allocated = 0; // threads alive at both readings (-1 marks one that ended)
            for (int i = 0; i < ids.length; i++) if (before[i] >= 0 && after[i] >= 0) allocated += after[i] - before[i];
            long gcCountAfter = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
            long gcMillisAfter = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();

            ModelConfig c = model.config();
            long kvBytes = 2L * c.layerCount() * (tokens + 16) * c.kvDim() * Float.BYTES;
            long fileBytes = Files.size(file);
            long rss = status("VmRSS:"), anon = status("RssAnon:"), mapped = status("RssFile:");
            System.out.printf("{\"model\":\"%s\",\"threads\":%d,\"tokens\":%d,\"decode_tokens_per_s\":%.2f,"
                            + "\"heap_bytes_per_token\":%.1f,\"gc_count\":%d,\"gc_ms\":%d,"
                            + "\"rss_mb\":%.0f,\"rss_anon_mb\":%.0f,\"rss_file_mb\":%.0f,\"file_mb\":%.0f,\"kv_cache_mb\":%.1f,"
                            + "\"rss_over_file_and_kv_mb\":%.0f}%n",
                    file.getFileName(), threads, tokens, tokens / seconds,
                    allocated / (double) tokens, gcCountAfter - gcCount, gcMillisAfter - gcMillis,
                    rss / 1e6, anon / 1e6, mapped / 1e6, fileBytes / 1e6, kvBytes / 1e6, (rss - fileBytes - kvBytes) / 1e6);
        }
    }

    private static void decode(Session session, int tokens) {
        session.truncate(0);
        int[] token = {1};
        for (int i = 0; i < tokens; i++) {
            session.forward(token, 0, 1, null);
            token[0] = argmax(session.logits());
        }
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /** A size field of /proc/self/status (Linux), in bytes; 0 where there is none. */
    private static long status(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return 0;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        return 0;
    }
}
