package ai.peregrine.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (v2 or v3), memory-mapped read-only. Tensor data is never copied: {@link #tensorData}
 * returns a slice of the mapping. Closing the file unmaps it; segments obtained from it become invalid.
 */
public final class GgufFile implements GgufView {
    public static final int MAGIC = 0x46554747; // "GGUF" little-endian
    public static final int DEFAULT_ALIGNMENT = 32;

    private final String source;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final MemorySegment data;
    private final long dataOffset;
    private final Arena arena;

    private GgufFile(String source, MemorySegment whole, Arena arena) {
        this.source = source;
        this.arena = arena;
        GgufParser p = new GgufParser(whole, source);
        int magic = p.i32();
        if (magic != MAGIC) throw new GgufFormatException(source + " is not a GGUF file (bad magic)");
        this.version = p.i32();
        if (version != 2 && version != 3) {
            throw new GgufFormatException(source + ": GGUF version " + version + " is not supported (only 2 and 3)");
        }
        long tensorCount = p.u64();
        long kvCount = p.u64();
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = p.string();
            kv.put(key, p.value(GgufValueType.byId(p.i32())));
        }
        this.metadata = new GgufMetadata(kv);
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = p.string();
            int nDims = p.i32();
            if (nDims < 1 || nDims > 4) throw new GgufFormatException(source + ": tensor " + name + " has " + nDims + " dimensions");
            long[] shape = new long[nDims];
            for (int d = 0; d < nDims; d++) shape[d] = p.u64();
            int typeId = p.i32();
            long offset = p.u64();
            infos.put(name, new GgufTensorInfo(name, shape, GgmlType.byId(typeId), offset));
        }
        this.tensors = Collections.unmodifiableMap(infos);
        int alignment = metadata.getInt("general.alignment", DEFAULT_ALIGNMENT);
        this.dataOffset = align(p.position(), alignment);
        this.data = whole.asSlice(Math.min(dataOffset, whole.byteSize()));
        for (GgufTensorInfo t : infos.values()) {
            long end = t.offset() + t.byteSize();
            if (t.offset() % alignment != 0 || end > data.byteSize()) {
                throw new GgufFormatException(source + ": tensor " + t.name() + " lies outside the file or is misaligned (truncated download?)");
            }
        }
    }

    /** Maps {@code path} read-only. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(path.toString(), whole, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Reads a GGUF image that is already in memory (the demo model); {@code arena} is closed with the file, if given. */
    public static GgufFile of(String name, MemorySegment image, Arena arena) {
        return new GgufFile(name, image, arena);
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    @Override
    public String source() {
        return source;
    }

    public int version() {
        return version;
    }

    @Override
    public GgufMetadata metadata() {
        return metadata;
    }

    @Override
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    /** The bytes of a tensor, as a slice of the mapping. */
    @Override
    public MemorySegment tensorData(GgufTensorInfo t) {
        return data.asSlice(t.offset(), t.byteSize());
    }

    /** Offset of the tensor data section from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
