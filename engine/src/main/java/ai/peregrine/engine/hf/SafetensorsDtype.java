package ai.peregrine.engine.hf;

import ai.peregrine.engine.gguf.GgmlType;

/** Element types of the safetensors format, with their sizes; the float ones map onto ggml types byte for byte. */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    public final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** The ggml type with the same little-endian element layout, or null when there is none Peregrine computes with. */
    public GgmlType ggmlType() {
        return switch (this) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            default -> null;
        };
    }

    public static SafetensorsDtype parse(String name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }
}
