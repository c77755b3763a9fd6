package ai.peregrine.engine.synthetic;

import java.util.Arrays;

/**
 * ggml's reference K-quant quantizers ({@code quantize_row_q4_K_ref}, {@code quantize_row_q5_K_ref},
 * {@code quantize_row_q6_K_ref}, with their {@code make_qkx2_quants} / {@code make_qx_quants} searches), what
 * llama.cpp's {@code llama-quantize} runs when no importance matrix is given. Every float operation is done in the
 * same order as the C code (compiled without FMA contraction), so the bytes match ggml's exactly; checked against
 * ggml itself by {@code GgmlQuantizerGoldenTest}. One instance holds the scratch of one super-block: not thread-safe.
 */
final class KQuantEncoding {
    static final int QK_K = 256;
    private static final float GROUP_MAX_EPS = 1e-15f;

    private final byte[] levels = new byte[QK_K];
    private final byte[] trial = new byte[32];
    private final float[] weights = new float[32];
    private final float[] scales = new float[16];
    private final float[] mins = new float[8];
    /** The minimum found by the last {@link #bestScaleAndMin} call (positive: subtracted). */
    private float foundMin;

    /** q4_K: 144 bytes per 256 values. */
    void q4_K(float[] x, int off, byte[] out, int o) {
        subBlockScalesAndMins(x, off, 15, -1f, 0.1f, 20);
        packScalesAndMins(out, o);
        requantize(x, off, out, o, 15);
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) out[o + 16 + 32 * c + l] = (byte) (levels[64 * c + l] | levels[64 * c + 32 + l] << 4);
        }
    }

    /** q5_K: 176 bytes per 256 values. */
    void q5_K(float[] x, int off, byte[] out, int o) {
        subBlockScalesAndMins(x, off, 31, -0.5f, 0.1f, 15);
        packScalesAndMins(out, o);
        requantize(x, off, out, o, 31);
        Arrays.fill(out, o + 16, o + 48, (byte) 0);
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l++) {
                int lo = levels[64 * c + l], hi = levels[64 * c + 32 + l];
                if (lo > 15) {
                    lo -= 16;
                    out[o + 16 + l] |= (byte) (1 << (2 * c));
                }
                if (hi > 15) {
                    hi -= 16;
                    out[o + 16 + l] |= (byte) (2 << (2 * c));
                }
                out[o + 48 + 32 * c + l] = (byte) (lo | hi << 4);
            }
        }
    }

    /** q6_K: 210 bytes per 256 values. */
    void q6_K(float[] x, int off, byte[] out, int o) {
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            float scale = signedScale(x, off + 16 * ib, 16 * ib);
            scales[ib] = scale;
            if (Math.abs(scale) > maxAbsScale) {
                maxAbsScale = Math.abs(scale);
                maxScale = scale;
            }
        }
        if (maxAbsScale < GROUP_MAX_EPS) {
            Arrays.fill(out, o, o + 210, (byte) 0);
            return;
        }
        float iscale = -128f / maxScale;
        short d = Float.floatToFloat16(1 / iscale);
        GgmlEncoding.putShort(out, o + 208, d);
        for (int ib = 0; ib < 16; ib++) out[o + 192 + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));
        for (int j = 0; j < 16; j++) {
            float dj = Float.float16ToFloat(d) * out[o + 192 + j];
            if (dj == 0) continue;
            for (int i = 0; i < 16; i++) {
                int l = nearestInt(x[off + 16 * j + i] / dj);
                levels[16 * j + i] = (byte) (Math.max(-32, Math.min(31, l)) + 32);
            }
        }
        for (int half = 0; half < 2; half++) {
            int ql = o + 64 * half, qh = o + 128 + 32 * half, v = 128 * half;
            for (int l = 0; l < 32; l++) {
                int q1 = levels[v + l], q2 = levels[v + 32 + l], q3 = levels[v + 64 + l], q4 = levels[v + 96 + l];
                out[ql + l] = (byte) ((q1 & 0xF) | (q3 & 0xF) << 4);
                out[ql + 32 + l] = (byte) ((q2 & 0xF) | (q4 & 0xF) << 4);
                out[qh + l] = (byte) (q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
            }
        }
    }

    /** q4_K / q5_K: per sub-block of 32 a weighted best scale and minimum, into {@link #scales} / {@link #mins}. */
    private void subBlockScalesAndMins(float[] x, int off, int nmax, float rmin, float rdelta, int nstep) {
        for (int j = 0; j < 8; j++) {
            int s = off + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[s + l] * x[s + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[s + l]);
            scales[j] = bestScaleAndMin(x, s, nmax, 32 * j, rmin, rdelta, nstep);
            mins[j] = foundMin;
        }
    }

    /** Quantizes the sub-block scales and minimums to 6 bits against their maxima; writes d, dmin and the 12 bytes. */
    private void packScalesAndMins(byte[] out, int o) {
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        Arrays.fill(out, o + 4, o + 16, (byte) 0);
        for (int j = 0; j < 8; j++) {
            // C stores nearest_int's result in a uint8_t before clamping to 63
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            if (j < 4) {
                out[o + 4 + j] = (byte) ls;
                out[o + 8 + j] = (byte) lm;
            } else {
                out[o + 8 + j] = (byte) ((ls & 0xF) | (lm & 0xF) << 4);
                out[o + j] |= (byte) ((ls >> 4) << 6);
                out[o + 4 + j] |= (byte) ((lm >> 4) << 6);
            }
        }
        GgmlEncoding.putShort(out, o, Float.floatToFloat16(maxScale / 63f));
        GgmlEncoding.putShort(out, o + 2, Float.floatToFloat16(maxMin / 63f));
    }

    /** Re-derives each value's level from the stored (rounded) sub-block scale and minimum; zero-scale sub-blocks keep their search levels. */
    private void requantize(float[] x, int off, byte[] out, int o, int nmax) {
        float d = Float.float16ToFloat(GgmlEncoding.getShort(out, o));
        float dmin = Float.float16ToFloat(GgmlEncoding.getShort(out, o + 2));
        for (int j = 0; j < 8; j++) {
            float dj = d * scaleCode(out, o + 4, j);
            if (dj == 0) continue;
            float dm = dmin * minCode(out, o + 4, j);
            for (int i = 0; i < 32; i++) {
                int l = nearestInt((x[off + 32 * j + i] + dm) / dj);
                levels[32 * j + i] = (byte) Math.max(0, Math.min(nmax, l));
            }
        }
    }

    private static int scaleCode(byte[] q, int at, int j) {
        if (j < 4) return q[at + j] & 63;
        return (q[at + j + 4] & 0xF) | ((q[at + j - 4] & 0xFF) >> 6) << 4;
    }

    private static int minCode(byte[] q, int at, int j) {
        if (j < 4) return q[at + j + 4] & 63;
        return ((q[at + j + 4] & 0xFF) >> 4) | ((q[at + j] & 0xFF) >> 6) << 4;
    }

    /**
     * ggml's {@code make_qkx2_quants} over x[s, s+32) with {@link #weights}: levels 0..nmax into
     * {@code levels[at..]} for value = scale·level − min, searching nstep+1 candidate scales; returns the scale
     * and leaves the minimum in {@link #foundMin}.
     */
    private float bestScaleAndMin(float[] x, int s, int nmax, int at, float rmin, float rdelta, int nstep) {
        int n = 32;
        float min = x[s], max = x[s];
        float sumW = weights[0];
        float sumX = sumW * x[s];
        for (int i = 1; i < n; i++) {
            if (x[s + i] < min) min = x[s + i];
            if (x[s + i] > max) max = x[s + i];
            float w = weights[i];
            sumW += w;
            sumX += w * x[s + i];
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) levels[at + i] = 0;
            foundMin = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.max(0, Math.min(nmax, nearestInt(iscale * (x[s + i] - min))));
            levels[at + i] = (byte) l;
            float diff = scale * l + min - x[s + i];
            bestError += weights[i] * (diff * diff);
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.max(0, Math.min(nmax, nearestInt(iscale * (x[s + i] - min))));
                trial[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[s + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float error = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * trial[i] + thisMin - x[s + i];
                    error += weights[i] * (diff * diff);
                }
                if (error < bestError) {
                    System.arraycopy(trial, 0, levels, at, n);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        foundMin = -min;
        return scale;
    }

    /**
     * ggml's {@code make_qx_quants(16, 32, x, L, 1, NULL)}: a signed scale for 16 values with levels −32..31
     * (stored +32 into {@code levels[at..]}), weighted by x², searching 18 scales around 32/max.
     */
    private float signedScale(float[] x, int s, int at) {
        int n = 16, nmax = 32;
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[s + i]);
            if (ax > amax) {
                amax = ax;
                max = x[s + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) levels[at + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumLX = 0, sumL2 = 0;
        for (int i = 0; i < n; i++) {
            int l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * x[s + i])));
            levels[at + i] = (byte) (l + nmax);
            float w = x[s + i] * x[s + i];
            sumLX += w * x[s + i] * l;
            sumL2 += w * l * l;
        }
        float scale = sumL2 != 0 ? sumLX / sumL2 : 0f;
        float best = scale * sumLX;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumLX = 0;
            sumL2 = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * x[s + i])));
                float w = x[s + i] * x[s + i];
                sumLX += w * x[s + i] * l;
                sumL2 += w * l * l;
            }
            if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
                for (int i = 0; i < n; i++) {
                    levels[at + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * x[s + i]))));
                }
                scale = sumLX / sumL2;
                best = scale * sumLX;
            }
        }
        return scale;
    }

    /** ggml's {@code nearest_int}: round half to even (its magic-number trick is exact for |v| < 2^22). */
    static int nearestInt(float v) {
        return (int) Math.rint(v);
    }
}
