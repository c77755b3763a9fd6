package ai.peregrine.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files. Tensor bytes are produced by a {@link TensorBytes} callback at write time, so
 * multi-gigabyte files can be streamed without holding them in memory.
 */
public final class GgufWriter {
    /** Produces exactly the tensor's bytes (ggml block layout) into {@code out}. */
    @FunctionalInterface
    public interface TensorBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Pending(String name, long[] shape, GgmlType type, TensorBytes bytes) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();
    private final int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor; {@code shape} is in ggml order (innermost first). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorBytes bytes) {
        tensors.add(new Pending(name, shape.clone(), type, bytes));
        return this;
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] bytes) {
        long expected = new GgufTensorInfo(name, shape, type, 0).byteSize();
        if (bytes.length != expected) throw new IllegalArgumentException(name + ": " + bytes.length + " bytes, expected " + expected);
        return addTensor(name, type, shape, out -> out.write(bytes));
    }

    public void write(Path path) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            write(out);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public void write(OutputStream raw) throws IOException {
        CountingLittleEndian out = new CountingLittleEndian(raw);
        out.i32(GgufFile.MAGIC);
        out.i32(3);
        out.i64(tensors.size());
        out.i64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.i32(e.getValue().type().ordinal());
            writeValue(out, e.getValue().type(), e.getValue().value());
        }
        long offset = 0;
        long[] offsets = new long[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Pending t = tensors.get(i);
            out.string(t.name);
            out.i32(t.shape.length);
            for (long d : t.shape) out.i64(d);
            out.i32(t.type.id);
            offsets[i] = offset;
            out.i64(offset);
            offset = GgufFile.align(offset + new GgufTensorInfo(t.name, t.shape, t.type, 0).byteSize(), alignment);
        }
        out.padTo(GgufFile.align(out.count, alignment));
        long dataStart = out.count;
        for (int i = 0; i < tensors.size(); i++) {
            Pending t = tensors.get(i);
            out.padTo(dataStart + offsets[i]);
            long before = out.count;
            t.bytes.writeTo(out);
            long written = out.count - before;
            long expected = new GgufTensorInfo(t.name, t.shape, t.type, 0).byteSize();
            if (written != expected) throw new IllegalStateException(t.name + ": wrote " + written + " bytes, expected " + expected);
        }
        out.padTo(GgufFile.align(out.count, alignment));
        out.flush();
    }

    private static void writeValue(CountingLittleEndian out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.write(((Number) v).intValue());
            case UINT16, INT16 -> out.i16(((Number) v).intValue());
            case UINT32, INT32 -> out.i32(((Number) v).intValue());
            case UINT64, INT64 -> out.i64(((Number) v).longValue());
            case FLOAT32 -> out.i32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> out.i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> out.write((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> {
                GgufValue.GgufArray a = (GgufValue.GgufArray) v;
                out.i32(a.elementType().ordinal());
                int n = a.length();
                out.i64(n);
                for (int i = 0; i < n; i++) writeValue(out, a.elementType(), java.lang.reflect.Array.get(a.values(), i));
            }
        }
    }

    /** Little-endian output that counts bytes, for offsets and padding. */
    private static final class CountingLittleEndian extends OutputStream {
        private final OutputStream out;
        long count;

        CountingLittleEndian(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        void i16(int v) throws IOException {
            write(v & 0xFF);
            write((v >>> 8) & 0xFF);
        }

        void i32(int v) throws IOException {
            write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
        }

        void i64(long v) throws IOException {
            i32((int) v);
            i32((int) (v >>> 32));
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            write(b);
        }

        void padTo(long target) throws IOException {
            while (count < target) write(0);
        }
    }
}
