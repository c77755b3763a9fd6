package ai.peregrine.engine.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .safetensors} file, memory-mapped read-only like a GGUF: an 8-byte little-endian header length, a JSON
 * header ({@code name → {dtype, shape, data_offsets: [begin, end)}} relative to the data section, plus an optional
 * {@code __metadata__} of strings), then the tensor bytes. Tensors are slices of the mapping, never copied; closing the
 * file unmaps it. Every header entry is checked against the file before any tensor is handed out.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation refuses larger headers too. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Map<String, SafetensorsTensor> tensors;
    private final Map<String, String> metadata;
    private final Arena arena;

    private SafetensorsFile(String source, Map<String, SafetensorsTensor> tensors, Map<String, String> metadata, Arena arena) {
        this.source = source;
        this.tensors = tensors;
        this.metadata = metadata;
        this.arena = arena;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        String source = path.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointFormatException(source + " is not a safetensors file (" + size + " bytes, too short for a header)");
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = whole.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointFormatException(source + " is not a safetensors file (header length " + Long.toUnsignedString(headerLength) + ")");
            }
            if (8 + headerLength > size) {
                throw new CheckpointFormatException(source + ": the header needs " + headerLength + " bytes but the file has "
                        + (size - 8) + " after its length (truncated download?)");
            }
            byte[] header = whole.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(8 + headerLength);
            var parsed = parseHeader(source, new String(header, StandardCharsets.UTF_8), data);
            return new SafetensorsFile(source, parsed.tensors, parsed.metadata, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new NoSuchFileException(source, null, "safetensors file not found");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private record Header(Map<String, SafetensorsTensor> tensors, Map<String, String> metadata) {}

    private static Header parseHeader(String source, String text, MemorySegment data) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(source + ": the safetensors header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) throw new CheckpointFormatException(source + ": the safetensors header is not a JSON object");
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new CheckpointFormatException(source + ": __metadata__ is not an object");
                v.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(name, tensor(source, name, v, data));
        }
        return new Header(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static SafetensorsTensor tensor(String source, String name, JsonNode v, MemorySegment data) {
        String where = source + ": tensor " + name;
        if (!v.isObject()) throw new CheckpointFormatException(where + ": header entry is not an object");
        SafetensorsDtype dtype = SafetensorsDtype.parse(v.path("dtype").asText(""));
        if (dtype == null) throw new CheckpointFormatException(where + ": unknown dtype " + v.get("dtype"));
        JsonNode shapeNode = v.path("shape");
        if (!shapeNode.isArray()) throw new CheckpointFormatException(where + ": shape is not an array");
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) throw new CheckpointFormatException(where + ": bad shape " + shapeNode);
            shape[i] = d.asLong();
            elements = Math.multiplyExact(elements, shape[i]);
        }
        JsonNode offsets = v.path("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw new CheckpointFormatException(where + ": data_offsets is not a pair of integers");
        }
        long begin = offsets.get(0).asLong(), end = offsets.get(1).asLong();
        if (begin < 0 || end < begin) throw new CheckpointFormatException(where + ": bad data_offsets " + offsets);
        long expected = Math.multiplyExact(elements, dtype.bytes);
        if (end - begin != expected) {
            throw new CheckpointFormatException(where + ": data_offsets span " + (end - begin) + " bytes but " + dtype + " "
                    + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        if (end > data.byteSize()) {
            throw new CheckpointFormatException(where + " ends at byte " + end + " of the data but the file holds only "
                    + data.byteSize() + " (truncated download?)");
        }
        return new SafetensorsTensor(name, dtype, shape, data.asSlice(begin, end - begin), source);
    }

    public String source() {
        return source;
    }

    /** Tensors by name, in header order. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} strings (e.g. {@code format: pt}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        arena.close();
    }
}
