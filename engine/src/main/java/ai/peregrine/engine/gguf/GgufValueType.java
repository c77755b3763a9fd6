package ai.peregrine.engine.gguf;

/** Metadata value types of the GGUF format, in id order. */
public enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    public static GgufValueType byId(int id) {
        if (id < 0 || id >= values().length) throw new GgufFormatException("unknown GGUF metadata value type " + id);
        return values()[id];
    }
}
