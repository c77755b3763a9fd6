package ai.peregrine.engine.model;

import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.convert.TargetType;
import java.nio.file.Path;

/**
 * How {@link ModelLoader} opens a model.
 *
 * @param threads  compute threads (also used to quantize)
 * @param quantize the type to quantize float weights to while loading (null: as stored)
 * @param progress hears quantization progress
 * @param repack   repack Q4_0 matrices for the decode kernels ({@link ai.peregrine.engine.tensor.Q4_0x8Matrix}):
 *                 about 1.7x faster mat-vecs, for a copy made while loading (~2 s per GB here)
 * @param repackCache where repacked weights are kept for later loads of the same GGUF file ({@link RepackCache});
 *                 null: repack in memory at every load
 * @param repackCacheLimit the most bytes the cache folder's entries may take: a new entry first deletes the least
 *                 recently used ones to fit, and one larger than the limit is not written ({@link RepackCache#DEFAULT_LIMIT})
 * @param kvCacheType how the model's sessions store keys and values (default f32)
 */
public record LoadOptions(int threads, TargetType quantize, ProgressListener progress, boolean repack, Path repackCache,
        long repackCacheLimit, KvCacheType kvCacheType) {
    public LoadOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (repackCacheLimit < 0) throw new IllegalArgumentException("the repack cache limit must not be negative, got " + repackCacheLimit);
        if (progress == null) progress = ProgressListener.NONE;
        if (kvCacheType == null) kvCacheType = KvCacheType.F32;
    }

    public LoadOptions(int threads, TargetType quantize, ProgressListener progress, boolean repack, Path repackCache,
            long repackCacheLimit) {
        this(threads, quantize, progress, repack, repackCache, repackCacheLimit, KvCacheType.F32);
    }

    public LoadOptions(int threads, TargetType quantize, ProgressListener progress, boolean repack, Path repackCache) {
        this(threads, quantize, progress, repack, repackCache, RepackCache.DEFAULT_LIMIT);
    }

    public LoadOptions(int threads, TargetType quantize, ProgressListener progress) {
        this(threads, quantize, progress, true, null);
    }

    public LoadOptions(int threads, TargetType quantize, ProgressListener progress, boolean repack) {
        this(threads, quantize, progress, repack, null);
    }

    public static LoadOptions threads(int threads) {
        return new LoadOptions(threads, null, ProgressListener.NONE);
    }

    public LoadOptions withQuantize(TargetType type) {
        return new LoadOptions(threads, type, progress, repack, repackCache, repackCacheLimit, kvCacheType);
    }

    public LoadOptions withProgress(ProgressListener listener) {
        return new LoadOptions(threads, quantize, listener, repack, repackCache, repackCacheLimit, kvCacheType);
    }

    public LoadOptions withRepack(boolean enabled) {
        return new LoadOptions(threads, quantize, progress, enabled, repackCache, repackCacheLimit, kvCacheType);
    }

    public LoadOptions withRepackCache(Path folder) {
        return new LoadOptions(threads, quantize, progress, repack, folder, repackCacheLimit, kvCacheType);
    }

    public LoadOptions withRepackCacheLimit(long bytes) {
        return new LoadOptions(threads, quantize, progress, repack, repackCache, bytes, kvCacheType);
    }

    public LoadOptions withKvCacheType(KvCacheType type) {
        return new LoadOptions(threads, quantize, progress, repack, repackCache, repackCacheLimit, type);
    }
}
