package ai.peregrine.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The key/value metadata of a GGUF file, with typed accessors that name the key when it is missing or mistyped. */
public final class GgufMetadata {
    private final Map<String, GgufValue> entries;

    public GgufMetadata(Map<String, GgufValue> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Map<String, GgufValue> entries() {
        return entries;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    private Object required(String key) {
        GgufValue v = entries.get(key);
        if (v == null) throw new GgufFormatException("GGUF metadata key '" + key + "' is missing");
        return v.value();
    }

    public String getString(String key) {
        Object v = required(key);
        if (v instanceof String s) return s;
        throw mistyped(key, "a string");
    }

    public Optional<String> string(String key) {
        return has(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    public long getLong(String key) {
        Object v = required(key);
        if (v instanceof Number n && !(v instanceof Float) && !(v instanceof Double)) return n.longValue();
        throw mistyped(key, "an integer");
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }

    public Optional<Integer> integer(String key) {
        return has(key) ? Optional.of(getInt(key)) : Optional.empty();
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public float getFloat(String key) {
        Object v = required(key);
        if (v instanceof Number n) return n.floatValue();
        throw mistyped(key, "a number");
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? getFloat(key) : fallback;
    }

    public boolean getBool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        Object v = required(key);
        if (v instanceof Boolean b) return b;
        throw mistyped(key, "a boolean");
    }

    private GgufValue.GgufArray array(String key) {
        Object v = required(key);
        if (v instanceof GgufValue.GgufArray a) return a;
        throw mistyped(key, "an array");
    }

    public String[] getStrings(String key) {
        if (array(key).values() instanceof String[] s) return s;
        throw mistyped(key, "an array of strings");
    }

    public Optional<String[]> strings(String key) {
        return has(key) ? Optional.of(getStrings(key)) : Optional.empty();
    }

    public int[] getInts(String key) {
        Object values = array(key).values();
        if (values instanceof int[] i) return i;
        if (values instanceof long[] l) {
            int[] out = new int[l.length];
            for (int k = 0; k < l.length; k++) out[k] = Math.toIntExact(l[k]);
            return out;
        }
        throw mistyped(key, "an array of integers");
    }

    public float[] getFloats(String key) {
        Object values = array(key).values();
        if (values instanceof float[] f) return f;
        if (values instanceof double[] d) {
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) out[k] = (float) d[k];
            return out;
        }
        throw mistyped(key, "an array of floats");
    }

    private GgufFormatException mistyped(String key, String expected) {
        return new GgufFormatException("GGUF metadata key '" + key + "' is not " + expected + " (it is " + entries.get(key).type() + ")");
    }
}
