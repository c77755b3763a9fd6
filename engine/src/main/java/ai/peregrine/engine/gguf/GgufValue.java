package ai.peregrine.engine.gguf;

/**
 * A metadata value with its GGUF type. Scalars are boxed Java values (Integer for 8/16-bit and INT32,
 * Long for UINT32/UINT64/INT64, Float, Double, Boolean, String). Arrays are {@link GgufArray}.
 */
public record GgufValue(GgufValueType type, Object value) {

    /** An array value: {@code values} is String[], int[], long[], float[], double[], boolean[] or GgufArray[]. */
    public record GgufArray(GgufValueType elementType, Object values) {
        public int length() {
            return java.lang.reflect.Array.getLength(values);
        }
    }

    public static GgufValue string(String s) {
        return new GgufValue(GgufValueType.STRING, s);
    }

    public static GgufValue u32(long v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    public static GgufValue i32(int v) {
        return new GgufValue(GgufValueType.INT32, v);
    }

    public static GgufValue f32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    public static GgufValue strings(String[] v) {
        return new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, v));
    }

    public static GgufValue i32s(int[] v) {
        return new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.INT32, v));
    }

    public static GgufValue f32s(float[] v) {
        return new GgufValue(GgufValueType.ARRAY, new GgufArray(GgufValueType.FLOAT32, v));
    }
}
