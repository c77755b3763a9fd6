package ai.peregrine.engine.model;

import ai.peregrine.engine.tensor.HalfFloats;
import ai.peregrine.engine.tensor.VectorMath;

/**
 * One sequence's keys and values, per layer, for up to {@code capacity} positions, as its {@link KvCacheType} says.
 * Attention reads it one KV head's slice of one position at a time; over a cache in halves it first rounds the query
 * and the attention weights to halves too ({@link #halves}), as ggml's f16 matrix products round their f32 operand.
 */
abstract sealed class KvCache permits KvCache.F32, KvCache.F16 {
    final int capacity;
    final int kvDim;
    final boolean halves;

    private KvCache(ModelConfig c, int capacity, boolean halves) {
        this.capacity = capacity;
        this.kvDim = c.kvDim();
        this.halves = halves;
    }

    /** Floats of per-thread scratch for a head of {@code n} values: {@link #key}'s widened values, then a dot's lane sum. */
    static int scratchSize(int n) {
        return n + VectorMath.lanes();
    }

    static KvCache of(KvCacheType type, ModelConfig c, int capacity) {
        return type == KvCacheType.F16 ? new F16(c, capacity) : new F32(c, capacity);
    }

    /** Stores the key at {@code src[keysOff ...]} and the value at {@code src[valuesOff ...]} (kvDim each) at a position. */
    abstract void put(int layer, int position, float[] src, int keysOff, int valuesOff);

    /**
     * The stored key's {@code n} values from {@code headOff} at a position, as floats: in the returned array from
     * {@link #offset}. {@code scratch} is the calling thread's own ({@link #scratchSize}); an f16 cache widens into it.
     */
    abstract float[] key(int layer, int position, int headOff, int n, float[] scratch);

    /** The stored value's {@code n} values from {@code headOff} at a position, as {@link #key} gives keys. */
    abstract float[] value(int layer, int position, int headOff, int n, float[] scratch);

    /** Where {@link #key} and {@link #value} put a position's values from {@code headOff} in the array they return. */
    abstract int offset(int position, int headOff);

    static final class F32 extends KvCache {
        private final float[][] keys;
        private final float[][] values;

        F32(ModelConfig c, int capacity) {
            super(c, capacity, false);
            this.keys = new float[c.layerCount()][capacity * kvDim];
            this.values = new float[c.layerCount()][capacity * kvDim];
        }

        @Override
        void put(int layer, int position, float[] src, int keysOff, int valuesOff) {
            System.arraycopy(src, keysOff, keys[layer], position * kvDim, kvDim);
            System.arraycopy(src, valuesOff, values[layer], position * kvDim, kvDim);
        }

        @Override
        float[] key(int layer, int position, int headOff, int n, float[] scratch) {
            return keys[layer];
        }

        @Override
        float[] value(int layer, int position, int headOff, int n, float[] scratch) {
            return values[layer];
        }

        @Override
        int offset(int position, int headOff) {
            return position * kvDim + headOff;
        }
    }

    static final class F16 extends KvCache {
        private final short[][] keys;
        private final short[][] values;

        F16(ModelConfig c, int capacity) {
            super(c, capacity, true);
            this.keys = new short[c.layerCount()][capacity * kvDim];
            this.values = new short[c.layerCount()][capacity * kvDim];
        }

        @Override
        void put(int layer, int position, float[] src, int keysOff, int valuesOff) {
            HalfFloats.store(src, keysOff, keys[layer], position * kvDim, kvDim);
            HalfFloats.store(src, valuesOff, values[layer], position * kvDim, kvDim);
        }

        @Override
        float[] key(int layer, int position, int headOff, int n, float[] scratch) {
            HalfFloats.widen(keys[layer], position * kvDim + headOff, scratch, 0, n);
            return scratch;
        }

        @Override
        float[] value(int layer, int position, int headOff, int n, float[] scratch) {
            HalfFloats.widen(values[layer], position * kvDim + headOff, scratch, 0, n);
            return scratch;
        }

        @Override
        int offset(int position, int headOff) {
            return 0;
        }
    }
}
