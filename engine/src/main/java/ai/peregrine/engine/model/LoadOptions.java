package ai.peregrine.engine.model;

import ai.peregrine.engine.convert.ProgressListener;
import ai.peregrine.engine.convert.TargetType;

/**
 * How {@link ModelLoader} opens a model.
 *
 * @param threads  compute threads (also used to quantize)
 * @param quantize the type to quantize float weights to while loading (null: as stored)
 * @param progress hears quantization progress
 */
public record LoadOptions(int threads, TargetType quantize, ProgressListener progress) {
    public LoadOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (progress == null) progress = ProgressListener.NONE;
    }

    public static LoadOptions threads(int threads) {
        return new LoadOptions(threads, null, ProgressListener.NONE);
    }

    public LoadOptions withQuantize(TargetType type) {
        return new LoadOptions(threads, type, progress);
    }

    public LoadOptions withProgress(ProgressListener listener) {
        return new LoadOptions(threads, quantize, listener);
    }
}
