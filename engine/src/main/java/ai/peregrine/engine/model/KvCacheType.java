package ai.peregrine.engine.model;

import java.util.Locale;

/**
 * How a session's KV cache stores keys and values. {@code F16} is llama.cpp's default ({@code --cache-type-k f16}):
 * half the memory, each value rounded once to IEEE half precision when stored (log-probabilities move by ~1e-3);
 * {@code F32} keeps the computed values exactly.
 */
public enum KvCacheType {
    F32(Float.BYTES), F16(Short.BYTES);

    private final int bytes;

    KvCacheType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored value. */
    public int bytes() {
        return bytes;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** f32/float32 or f16/fp16/float16, any case; TGI's fp8 types are named as unsupported. */
    public static KvCacheType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "f32", "fp32", "float32" -> F32;
            case "f16", "fp16", "float16" -> F16;
            default -> throw new IllegalArgumentException("KV cache type '" + text + "' is not supported"
                    + (t.startsWith("fp8") ? " (no fp8 on a CPU)" : "") + ": use f16 or f32");
        };
    }
}
