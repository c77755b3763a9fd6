package ai.peregrine.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Sequential little-endian reader over a GGUF header. */
final class GgufParser {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment seg;
    private final String source;
    private long pos;

    GgufParser(MemorySegment seg, String source) {
        this.seg = seg;
        this.source = source;
    }

    long position() {
        return pos;
    }

    private void need(long n) {
        if (n < 0 || pos + n > seg.byteSize()) {
            throw new GgufFormatException(source + ": GGUF header is truncated or corrupt (at byte " + pos + ")");
        }
    }

    byte i8() {
        need(1);
        return seg.get(ValueLayout.JAVA_BYTE, pos++);
    }

    short i16() {
        need(2);
        short v = seg.get(I16, pos);
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    long i64() {
        need(8);
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    long u64() {
        long v = i64();
        if (v < 0) throw new GgufFormatException(source + ": count " + Long.toUnsignedString(v) + " is too large");
        return v;
    }

    float f32() {
        need(4);
        float v = seg.get(F32, pos);
        pos += 4;
        return v;
    }

    double f64() {
        need(8);
        double v = seg.get(F64, pos);
        pos += 8;
        return v;
    }

    String string() {
        long len = u64();
        need(len);
        if (len > Integer.MAX_VALUE) throw new GgufFormatException(source + ": string of " + len + " bytes");
        byte[] b = new byte[(int) len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, b.length);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    GgufValue value(GgufValueType type) {
        return new GgufValue(type, switch (type) {
            case UINT8 -> i8() & 0xFF;
            case INT8 -> (int) i8();
            case UINT16 -> i16() & 0xFFFF;
            case INT16 -> (int) i16();
            case UINT32 -> i32() & 0xFFFFFFFFL;
            case INT32 -> i32();
            case FLOAT32 -> f32();
            case BOOL -> i8() != 0;
            case STRING -> string();
            case UINT64, INT64 -> i64();
            case FLOAT64 -> f64();
            case ARRAY -> array();
        });
    }

    private GgufValue.GgufArray array() {
        GgufValueType et = GgufValueType.byId(i32());
        long n = u64();
        if (n > Integer.MAX_VALUE) throw new GgufFormatException(source + ": array of " + n + " elements");
        int len = (int) n;
        Object values = switch (et) {
            case STRING -> {
                String[] a = new String[len];
                for (int i = 0; i < len; i++) a[i] = string();
                yield a;
            }
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] a = new int[len];
                for (int i = 0; i < len; i++) a[i] = (Integer) value(et).value();
                yield a;
            }
            case UINT32, UINT64, INT64 -> {
                long[] a = new long[len];
                for (int i = 0; i < len; i++) a[i] = (Long) value(et).value();
                yield a;
            }
            case FLOAT32 -> {
                need(4L * len);
                float[] a = new float[len];
                for (int i = 0; i < len; i++) a[i] = f32();
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[len];
                for (int i = 0; i < len; i++) a[i] = f64();
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[len];
                for (int i = 0; i < len; i++) a[i] = i8() != 0;
                yield a;
            }
            case ARRAY -> {
                GgufValue.GgufArray[] a = new GgufValue.GgufArray[len];
                for (int i = 0; i < len; i++) a[i] = array();
                yield a;
            }
        };
        return new GgufValue.GgufArray(et, values);
    }
}
