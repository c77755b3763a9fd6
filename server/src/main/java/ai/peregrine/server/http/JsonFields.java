package ai.peregrine.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict typed reads of optional JSON fields, as serde reads TGI's request structs: a wrong type is a 422
 * naming the field path; null or absent is "not given"; unknown fields are ignored.
 */
public final class JsonFields {
    private static final BigInteger U32_MAX = BigInteger.valueOf(0xFFFF_FFFFL);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonFields() {}

    private static JsonNode get(JsonNode obj, String name) {
        JsonNode v = obj.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static ApiError invalid(String path, JsonNode v, String expected) {
        return ApiError.deserialization(path + ": invalid type: " + describe(v) + ", expected " + expected);
    }

    public static String describe(JsonNode v) {
        if (v.isTextual()) return "string \"" + v.asText() + "\"";
        if (v.isBoolean()) return "boolean `" + v.asBoolean() + "`";
        if (v.isIntegralNumber()) return "integer `" + v.asText() + "`";
        if (v.isNumber()) return "floating point `" + v.asText() + "`";
        if (v.isArray()) return "sequence";
        if (v.isObject()) return "map";
        return "null";
    }

    public static String requiredString(JsonNode obj, String name, String path) {
        JsonNode v = obj.get(name);
        if (v == null) throw ApiError.deserialization("missing field `" + name + "`");
        if (!v.isTextual()) throw invalid(path + name, v, "a string");
        return v.asText();
    }

    public static String optString(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isTextual()) throw invalid(path + name, v, "a string");
        return v.asText();
    }

    public static Float optFloat(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isNumber()) throw invalid(path + name, v, "f32");
        return v.floatValue();
    }

    public static Boolean optBool(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isBoolean()) throw invalid(path + name, v, "a boolean");
        return v.asBoolean();
    }

    public static boolean bool(JsonNode obj, String name, String path, boolean fallback) {
        Boolean b = optBool(obj, name, path);
        return b == null ? fallback : b;
    }

    /** An unsigned 32-bit integer (usize/u32 in TGI), returned as a long so nothing is lost. */
    public static Long optU32(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw invalid(path + name, v, "u32");
        BigInteger b = v.bigIntegerValue();
        if (b.signum() < 0 || b.compareTo(U32_MAX) > 0) {
            throw ApiError.deserialization(path + name + ": invalid value: integer `" + b + "`, expected u32");
        }
        return b.longValue();
    }

    public static Integer optI32(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw invalid(path + name, v, "i32");
        BigInteger b = v.bigIntegerValue();
        if (b.bitLength() > 31) {
            throw ApiError.deserialization(path + name + ": invalid value: integer `" + b + "`, expected i32");
        }
        return b.intValue();
    }

    /** An unsigned 64-bit integer carried in a long (two's complement above Long.MAX_VALUE). */
    public static Long optU64(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isIntegralNumber()) throw invalid(path + name, v, "u64");
        BigInteger b = v.bigIntegerValue();
        if (b.signum() < 0 || b.compareTo(U64_MAX) > 0) {
            throw ApiError.deserialization(path + name + ": invalid value: integer `" + b + "`, expected u64");
        }
        return b.longValue();
    }

    /** A list of strings; {@code allowSingle} also accepts one string (OpenAI's {@code stop}). */
    public static List<String> optStrings(JsonNode obj, String name, String path, boolean allowSingle) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (allowSingle && v.isTextual()) return List.of(v.asText());
        if (!v.isArray()) throw invalid(path + name, v, "a sequence");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) throw invalid(path + name, e, "a string");
            out.add(e.asText());
        }
        return out;
    }

    public static JsonNode optObject(JsonNode obj, String name, String path) {
        JsonNode v = get(obj, name);
        if (v == null) return null;
        if (!v.isObject()) throw invalid(path + name, v, "a map");
        return v;
    }
}
