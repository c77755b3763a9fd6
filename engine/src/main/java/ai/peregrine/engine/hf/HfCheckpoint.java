package ai.peregrine.engine.hf;

import ai.peregrine.engine.gguf.FileType;
import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.model.Architecture;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A Hugging Face model directory ({@code config.json}, safetensors weights, tokenizer) seen as the GGUF that llama.cpp's
 * converter would write from it: the same metadata keys, tensor names, shapes and row layouts. Tensors that need no
 * change are slices of the mapped shards; the few that do (Falcon's fused QKV, Llama's Q and K; norm vectors stored in
 * 16 bits, widened to f32 as llama.cpp stores them) are laid out on first use and kept until the view is closed.
 */
public final class HfCheckpoint implements GgufView {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Where a GGUF tensor's bytes come from: a checkpoint tensor, its rows reordered and/or widened to f32. */
    private record Source(SafetensorsTensor tensor, int[] rowOrder, boolean widen) {
        boolean direct() {
            return rowOrder == null && !widen;
        }
    }

    private final String source;
    private final HfConfig config;
    private final SafetensorsCheckpoint checkpoint;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final Map<String, Source> sources;
    private final Map<String, MemorySegment> laidOut = new HashMap<>();
    private final Arena arena = Arena.ofShared();

    private HfCheckpoint(Path dir, HfConfig config, SafetensorsCheckpoint checkpoint, Map<String, GgufValue> tokenizer) {
        this.source = dir.toString();
        this.config = config;
        this.checkpoint = checkpoint;
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        Map<String, Source> srcs = new HashMap<>();
        Set<String> planned = new HashSet<>();
        for (HfTensorPlan.Entry e : HfTensorPlan.of(config)) {
            planned.add(e.hfName());
            SafetensorsTensor t = checkpoint.tensors().get(e.hfName());
            if (t == null) {
                if (e.optional()) continue;
                throw new CheckpointFormatException(source + ": tensor " + e.hfName() + " is missing from the checkpoint");
            }
            GgmlType type = t.dtype().ggmlType();
            if (type == null) {
                throw new CheckpointFormatException(source + ": tensor " + t.name() + " has dtype " + t.dtype()
                        + "; Peregrine reads F32, F16 and BF16 checkpoints (GPTQ, AWQ or FP8 quantized ones are not supported)");
            }
            if (!Arrays.equals(t.shape(), e.hfShape())) {
                throw new CheckpointFormatException(source + ": tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                        + " but config.json implies " + Arrays.toString(e.hfShape()));
            }
            boolean vector = t.shape().length == 1;
            long[] ggmlShape = new long[t.shape().length];
            for (int i = 0; i < ggmlShape.length; i++) ggmlShape[i] = t.shape()[ggmlShape.length - 1 - i];
            infos.put(e.ggufName(), new GgufTensorInfo(e.ggufName(), ggmlShape, vector ? GgmlType.F32 : type, 0));
            srcs.put(e.ggufName(), new Source(t, e.rowOrder(), vector && type != GgmlType.F32));
        }
        for (String name : checkpoint.tensors().keySet()) {
            if (!planned.contains(name) && !HfTensorPlan.ignorable(name)) {
                throw new CheckpointFormatException(source + ": tensor " + name + " has no place in a " + config.hfArchitecture()
                        + " as config.json describes it (unsupported variant, or a config.json from another model?)");
            }
        }
        this.tensors = Collections.unmodifiableMap(infos);
        this.sources = srcs;
        this.metadata = new GgufMetadata(metadata(dir, config, infos, checkVocabulary(tokenizer, config.vocabSize())));
    }

    /**
     * Opens {@code dir} with the given {@code tokenizer.*} metadata (what llama.cpp's converter derives from
     * tokenizer.json). On failure nothing stays mapped.
     */
    public static HfCheckpoint open(Path dir, Map<String, GgufValue> tokenizer) throws IOException {
        HfConfig config = HfConfig.read(dir);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        try {
            return new HfCheckpoint(dir, config, checkpoint, tokenizer);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /** llama.cpp wants one token per embedding row (the tokenizer metadata pads unused ids up to vocab_size). */
    private Map<String, GgufValue> checkVocabulary(Map<String, GgufValue> tokenizer, int vocabSize) {
        GgufValue tokens = tokenizer.get("tokenizer.ggml.tokens");
        if (tokens == null || !(tokens.value() instanceof GgufValue.GgufArray a)) {
            throw new CheckpointFormatException(source + ": the tokenizer has no token list");
        }
        if (a.length() != vocabSize) {
            throw new CheckpointFormatException(source + ": the tokenizer has " + a.length() + " tokens but the embeddings "
                    + vocabSize + " rows (config.json vocab_size)");
        }
        return tokenizer;
    }

    public HfConfig config() {
        return config;
    }

    /** The {@code general.*} and {@code <arch>.*} keys llama.cpp's convert_hf_to_gguf.py writes, then the tokenizer's. */
    private static Map<String, GgufValue> metadata(Path dir, HfConfig c, Map<String, GgufTensorInfo> infos, Map<String, GgufValue> tokenizer) {
        String a = c.architecture().ggufName;
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("general.architecture", GgufValue.string(a));
        md.put("general.type", GgufValue.string("model"));
        md.put("general.name", GgufValue.string(modelName(dir, a)));
        md.put("general.file_type", GgufValue.u32(FileType.of(infos.get("token_embd.weight").type())));
        md.put(a + ".context_length", GgufValue.u32(c.contextLength()));
        md.put(a + ".embedding_length", GgufValue.u32(c.embeddingLength()));
        md.put(a + ".feed_forward_length", GgufValue.u32(c.feedForwardLength()));
        md.put(a + ".block_count", GgufValue.u32(c.layerCount()));
        md.put(a + ".attention.head_count", GgufValue.u32(c.headCount()));
        md.put(a + ".attention.head_count_kv", GgufValue.u32(c.headCountKv()));
        md.put(a + ".rope.freq_base", GgufValue.f32(c.ropeTheta()));
        md.put(a + ".vocab_size", GgufValue.u32(c.vocabSize()));
        if (c.architecture() == Architecture.FALCON) {
            md.put(a + ".tensor_data_layout", GgufValue.string("jploski"));
            md.put(a + ".attention.layer_norm_epsilon", GgufValue.f32(c.normEps()));
        } else {
            md.put(a + ".attention.layer_norm_rms_epsilon", GgufValue.f32(c.normEps()));
            md.put(a + ".rope.dimension_count", GgufValue.u32(c.headDim()));
            if (c.headDim() * c.headCount() != c.embeddingLength()) {
                md.put(a + ".attention.key_length", GgufValue.u32(c.headDim()));
                md.put(a + ".attention.value_length", GgufValue.u32(c.headDim()));
            }
        }
        md.putAll(tokenizer);
        return md;
    }

    /** The directory's name, or ORG/NAME for a Hugging Face cache snapshot ({@code models--ORG--NAME/snapshots/REV}). */
    static String modelName(Path dir, String fallback) {
        Path d = dir.toAbsolutePath().normalize();
        Path parent = d.getParent(), repo = parent == null ? null : parent.getParent();
        if (repo != null && parent.getFileName().toString().equals("snapshots") && repo.getFileName().toString().startsWith("models--")) {
            return repo.getFileName().toString().substring("models--".length()).replace("--", "/");
        }
        return d.getFileName() == null ? fallback : d.getFileName().toString();
    }

    @Override
    public String source() {
        return source;
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
    public synchronized MemorySegment tensorData(GgufTensorInfo t) {
        Source s = source(t);
        if (s.direct()) return s.tensor().data();
        return laidOut.computeIfAbsent(t.name(), n -> layOut(s, t, arena));
    }

    @Override
    public <T> T withTensorData(GgufTensorInfo t, Function<MemorySegment, T> use) {
        Source s = source(t);
        MemorySegment kept;
        synchronized (this) {
            kept = s.direct() ? s.tensor().data() : laidOut.get(t.name());
        }
        if (kept != null) return use.apply(kept);
        try (Arena scratch = Arena.ofShared()) {
            return use.apply(layOut(s, t, scratch));
        }
    }

    private Source source(GgufTensorInfo t) {
        Source s = sources.get(t.name());
        if (s == null) throw new IllegalArgumentException(source + " has no tensor " + t.name());
        return s;
    }

    private static MemorySegment layOut(Source s, GgufTensorInfo t, Arena arena) {
        MemorySegment from = s.tensor().data();
        MemorySegment to = arena.allocate(t.byteSize(), 64);
        if (s.widen()) {
            boolean bf16 = s.tensor().dtype() == SafetensorsDtype.BF16;
            for (long i = 0; i < t.elements(); i++) {
                short bits = from.get(LE_SHORT, 2 * i);
                to.set(LE_FLOAT, 4 * i, bf16 ? Float.intBitsToFloat((bits & 0xFFFF) << 16) : Float.float16ToFloat(bits));
            }
        } else {
            long rowBytes = from.byteSize() / s.rowOrder().length;
            for (int r = 0; r < s.rowOrder().length; r++) {
                MemorySegment.copy(from, s.rowOrder()[r] * rowBytes, to, r * rowBytes, rowBytes);
            }
        }
        return to;
    }

    @Override
    public void close() {
        arena.close();
        checkpoint.close();
    }
}
