package ai.peregrine.engine.convert;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.gguf.GgufView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

/**
 * A model quantized while it loads ({@code --quantize}): every tensor {@link TargetType#typeOf} changes is encoded
 * into memory of its own, the others stay slices of the source. The bytes are exactly those {@link GgufConverter}
 * writes for the same type, so a model quantized on load computes what its converted file computes. Each encoded
 * tensor has an arena of its own, freed by {@link #release} once the model has repacked it.
 */
public final class QuantizedView implements GgufView {
    private final GgufView source;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final Map<String, MemorySegment> encoded;
    private final Map<String, Arena> arenas;
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    private QuantizedView(GgufView source, GgufMetadata metadata, Map<String, GgufTensorInfo> tensors,
            Map<String, MemorySegment> encoded, Map<String, Arena> arenas) {
        this.source = source;
        this.metadata = metadata;
        this.tensors = tensors;
        this.encoded = encoded;
        this.arenas = arenas;
    }

    /**
     * {@code source} with its tensors in the types {@code type} gives them, encoded on {@code threads} threads; the
     * source itself when nothing changes. The view owns {@code source} and closes it; if quantizing fails, the source
     * stays open and the caller's.
     */
    public static GgufView of(GgufView source, TargetType type, int threads, ProgressListener progress) {
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        long total = 0;
        for (GgufTensorInfo t : source.tensors().values()) {
            GgmlType to = type.typeOf(source, t);
            infos.put(t.name(), new GgufTensorInfo(t.name(), t.shape(), to, 0));
            if (to != t.type()) total += t.elements();
        }
        if (total == 0) return source;
        Map<String, Arena> arenas = new ConcurrentHashMap<>();
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            Map<String, MemorySegment> encoded = new ConcurrentHashMap<>();
            String task = "quantizing to " + type.label();
            long done = 0;
            for (GgufTensorInfo t : source.tensors().values()) {
                GgufTensorInfo target = infos.get(t.name());
                if (target.type() == t.type()) continue;
                Arena arena = Arena.ofShared();
                arenas.put(t.name(), arena);
                encoded.put(t.name(), source.withTensorData(t, data -> encode(source, t, data, target, arena, pool)));
                done += t.elements();
                progress.progress(task, done, total);
            }
            return new QuantizedView(source, metadata(source.metadata(), type), Collections.unmodifiableMap(infos), encoded, arenas);
        } catch (RuntimeException | Error e) {
            arenas.values().forEach(Arena::close);
            throw e;
        }
    }

    private static MemorySegment encode(GgufView source, GgufTensorInfo t, MemorySegment data, GgufTensorInfo target,
            Arena arena, ForkJoinPool pool) {
        RowEncoder enc = new RowEncoder(t, data, source.source(), target.type());
        MemorySegment out = arena.allocate(target.byteSize(), 64);
        int step = enc.rowsPerBytes(32 << 20);
        byte[] buf = new byte[step * enc.rowBytes()];
        for (int r = 0; r < enc.rows(); r += step) {
            int r1 = Math.min(enc.rows(), r + step);
            enc.encode(pool, r, r1, buf, 0);
            MemorySegment.copy(MemorySegment.ofArray(buf), 0, out, (long) r * enc.rowBytes(), (long) (r1 - r) * enc.rowBytes());
        }
        return out;
    }

    /** The source's metadata with the file type of {@code type} (what a converted file says). */
    static GgufMetadata metadata(GgufMetadata source, TargetType type) {
        Map<String, GgufValue> md = new LinkedHashMap<>(source.entries());
        md.put("general.file_type", GgufValue.u32(type.fileType()));
        if (type.quantized()) md.put("general.quantization_version", GgufValue.u32(2));
        return new GgufMetadata(md);
    }

    @Override
    public String source() {
        return source.source();
    }

    @Override
    public GgufMetadata metadata() {
        return metadata;
    }

    @Override
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    @Override
    public MemorySegment tensorData(GgufTensorInfo t) {
        if (released.contains(t.name())) {
            throw new IllegalStateException(source() + ": tensor " + t.name() + " was released after the model repacked it");
        }
        MemorySegment s = encoded.get(t.name());
        return s != null ? s : source.tensorData(source.tensor(t.name()));
    }

    /** Frees an encoded tensor's memory; reading it afterwards is an error. Source tensors are the source's. */
    @Override
    public void release(GgufTensorInfo t) {
        Arena arena = arenas.remove(t.name());
        if (arena == null) return;
        released.add(t.name());
        encoded.remove(t.name());
        arena.close();
    }

    @Override
    public void close() {
        arenas.values().forEach(Arena::close);
        arenas.clear();
        source.close();
    }
}
