package ai.peregrine.engine.model;

/** One sequence's f32 keys and values, per layer, for up to {@code capacity} positions. */
final class KvCache {
    final float[][] keys;
    final float[][] values;
    final int capacity;

    KvCache(ModelConfig c, int capacity) {
        this.capacity = capacity;
        this.keys = new float[c.layerCount()][capacity * c.kvDim()];
        this.values = new float[c.layerCount()][capacity * c.kvDim()];
    }
}
