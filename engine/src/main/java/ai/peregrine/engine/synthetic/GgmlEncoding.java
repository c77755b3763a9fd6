package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;

/**
 * Encodes f32 values into ggml tensor bytes exactly as ggml's reference code does
 * ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}, {@code quantize_row_q5_0_ref} / {@code _q5_1_ref}, the K-quants' {@code quantize_row_qN_K_ref}
 * in {@link KQuantEncoding}, {@code GGML_FP32_TO_FP16}, {@code GGML_FP32_TO_BF16}), so files written here
 * quantize identically to llama.cpp's tools (without an importance matrix).
 */
public final class GgmlEncoding {
    private static final int QK = 32;

    private GgmlEncoding() {}

    /** Encodes {@code n} values (a whole number of blocks) from {@code x[off..]} into {@code out[outOff..]}; returns bytes written. */
    public static int encode(GgmlType type, float[] x, int off, int n, byte[] out, int outOff) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) putInt(out, outOff + 4 * i, Float.floatToRawIntBits(x[off + i]));
                return 4 * n;
            }
            case F16 -> {
                for (int i = 0; i < n; i++) putShort(out, outOff + 2 * i, Float.floatToFloat16(x[off + i]));
                return 2 * n;
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) putShort(out, outOff + 2 * i, toBf16(x[off + i]));
                return 2 * n;
            }
            case Q8_0 -> {
                for (int b = 0; b < n / QK; b++) q8_0Block(x, off + b * QK, out, outOff + b * 34);
                return n / QK * 34;
            }
            case Q4_0 -> {
                for (int b = 0; b < n / QK; b++) q4_0Block(x, off + b * QK, out, outOff + b * 18);
                return n / QK * 18;
            }
            case Q5_0, Q5_1 -> {
                for (int b = 0; b < n / QK; b++) q5Block(type == GgmlType.Q5_1, x, off + b * QK, out, outOff + b * type.blockBytes);
                return n / QK * type.blockBytes;
            }
            case Q4_K, Q5_K, Q6_K -> {
                if (n % KQuantEncoding.QK_K != 0) throw new IllegalArgumentException(type + " needs a multiple of 256 values, got " + n);
                KQuantEncoding k = new KQuantEncoding();
                for (int b = 0; b < n / KQuantEncoding.QK_K; b++) {
                    int in = off + b * KQuantEncoding.QK_K, at = outOff + b * type.blockBytes;
                    switch (type) {
                        case Q4_K -> k.q4_K(x, in, out, at);
                        case Q5_K -> k.q5_K(x, in, out, at);
                        default -> k.q6_K(x, in, out, at);
                    }
                }
                return n / KQuantEncoding.QK_K * type.blockBytes;
            }
            default -> throw new IllegalArgumentException("no encoder for " + type);
        }
    }

    /** ggml_compute_fp32_to_bf16: round to nearest even, NaN made quiet. */
    public static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) ((u >>> 16) | 64);
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    private static void q8_0Block(float[] x, int off, byte[] out, int o) {
        float amax = 0;
        for (int j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putShort(out, o, Float.floatToFloat16(d));
        for (int j = 0; j < QK; j++) out[o + 2 + j] = (byte) roundf(x[off + j] * id);
    }

    private static void q4_0Block(float[] x, int off, byte[] out, int o) {
        float d = signedAbsMax(x, off) / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        putShort(out, o, Float.floatToFloat16(d));
        for (int j = 0; j < QK / 2; j++) {
            // C's (int8_t) cast truncates toward zero; the argument is in [0.5, 16.5]
            int lo = Math.min(15, (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[off + QK / 2 + j] * id + 8.5f));
            out[o + 2 + j] = (byte) (lo | (hi << 4));
        }
    }

    /** quantize_row_q5_0_ref (symmetric, d = max / −16) and quantize_row_q5_1_ref (d = (max − min) / 31, m = min). */
    private static void q5Block(boolean withMin, float[] x, int off, byte[] out, int o) {
        float d, min = 0;
        if (withMin) {
            float max = -Float.MAX_VALUE;
            min = Float.MAX_VALUE;
            for (int j = 0; j < QK; j++) {
                float v = x[off + j];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            d = (max - min) / 31;
            putShort(out, o, Float.floatToFloat16(d));
            putShort(out, o + 2, Float.floatToFloat16(min));
        } else {
            d = signedAbsMax(x, off) / -16;
            putShort(out, o, Float.floatToFloat16(d));
        }
        float id = d != 0 ? 1.0f / d : 0.0f;
        int qh = 0, qs = o + (withMin ? 8 : 6);
        for (int j = 0; j < QK / 2; j++) {
            int lo, hi;
            if (withMin) {
                // C's (uint8_t) cast of a value in [0.5, 31.5]
                lo = (int) ((x[off + j] - min) * id + 0.5f) & 0xFF;
                hi = (int) ((x[off + QK / 2 + j] - min) * id + 0.5f) & 0xFF;
            } else {
                // C's (int8_t) cast truncates toward zero; the argument is in [0.5, 32.5]
                lo = Math.min(31, (int) (x[off + j] * id + 16.5f));
                hi = Math.min(31, (int) (x[off + QK / 2 + j] * id + 16.5f));
            }
            out[qs + j] = (byte) ((lo & 0x0F) | ((hi & 0x0F) << 4));
            qh |= ((lo & 0x10) >>> 4) << j;
            qh |= ((hi & 0x10) >>> 4) << (j + QK / 2);
        }
        putInt(out, o + (withMin ? 4 : 2), qh);
    }

    /** The block's value of largest magnitude, sign kept (the first one on ties), as ggml's symmetric quantizers pick it. */
    private static float signedAbsMax(float[] x, int off) {
        float amax = 0, max = 0;
        for (int j = 0; j < QK; j++) {
            float v = x[off + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** C roundf: halfway cases away from zero (Math.round rounds them toward +infinity). */
    static int roundf(float v) {
        float a = Math.abs(v);
        float f = (float) Math.floor(a);
        if (a - f >= 0.5f) f += 1;
        return (int) Math.copySign(f, v);
    }

    static void putShort(byte[] b, int i, short v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    static short getShort(byte[] b, int i) {
        return (short) ((b[i] & 0xFF) | b[i + 1] << 8);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }
}
