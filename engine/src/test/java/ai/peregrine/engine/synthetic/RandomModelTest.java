package ai.peregrine.engine.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.model.LanguageModel;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.Session;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomModelTest {
    private static Map<String, GgufValue> tokenizer(int vocab) {
        String[] tokens = new String[vocab];
        for (int i = 0; i < vocab; i++) tokens[i] = "t" + i;
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        md.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        return md;
    }

    /** The file owns (and closes) its arena. */
    private static GgufFile parse(byte[] bytes) {
        Arena arena = Arena.ofConfined();
        MemorySegment seg = arena.allocate(bytes.length, 64);
        seg.copyFrom(MemorySegment.ofArray(bytes));
        return GgufFile.of("test", seg, arena);
    }

    @Test
    void sameSpecAndSeedGiveIdenticalBytes() {
        RandomModelSpec spec = RandomModelSpec.llama(64, 2, 4, 2, 160, 96, GgmlType.Q4_0);
        byte[] a = RandomModel.toBytes(spec, tokenizer(96));
        assertArrayEquals(a, RandomModel.toBytes(spec, tokenizer(96)));
        assertFalse(Arrays.equals(a, RandomModel.toBytes(spec.withSeed(7), tokenizer(96))));
    }

    @Test
    void llamaFileHasLlamaCppNamesShapesAndMetadata() {
        RandomModelSpec spec = RandomModelSpec.llama(64, 2, 4, 2, 160, 96, GgmlType.Q8_0);
        try (GgufFile f = parse(RandomModel.toBytes(spec, tokenizer(96)))) {
            assertEquals("llama", f.metadata().getString("general.architecture"));
            assertEquals(7, f.metadata().getInt("general.file_type"));
            assertEquals(2, f.metadata().getInt("llama.attention.head_count_kv"));
            assertEquals(16, f.metadata().getInt("llama.rope.dimension_count"));
            assertEquals(1e-5f, f.metadata().getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals("gpt2", f.metadata().getString("tokenizer.ggml.model"));
            assertArrayEquals(new long[] {64, 32}, f.tensor("blk.1.attn_k.weight").shape());
            assertArrayEquals(new long[] {160, 64}, f.tensor("blk.0.ffn_down.weight").shape());
            assertEquals(GgmlType.Q8_0, f.tensor("output.weight").type());
            assertEquals(GgmlType.F32, f.tensor("blk.0.ffn_norm.weight").type());
            assertEquals(3 + 9 * 2, f.tensors().size());
        }
    }

    @Test
    void falcon40bStyleHasSecondNormAndWideFusedQkv() {
        RandomModelSpec spec = RandomModelSpec.falcon(64, 2, 4, 2, 256, 96, GgmlType.F16).withParallelNorms(true).withOutputWeight(false);
        try (GgufFile f = parse(RandomModel.toBytes(spec, tokenizer(96)))) {
            assertEquals(1e-5f, f.metadata().getFloat("falcon.attention.layer_norm_epsilon"));
            assertArrayEquals(new long[] {64, 64 + 2 * 2 * 16}, f.tensor("blk.0.attn_qkv.weight").shape());
            assertTrue(f.hasTensor("blk.1.attn_norm_2.bias"));
            assertFalse(f.hasTensor("output.weight"));
            MemorySegment norm = f.tensorData(f.tensor("output_norm.weight"));
            float w0 = norm.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0);
            assertTrue(w0 > 0.5f && w0 < 1.5f, "norm weights are near 1: " + w0);
        }
    }

    @Test
    void fastModeWritesFiniteQuantizedBlocks() {
        RandomModelSpec spec = RandomModelSpec.falcon(128, 1, 2, 1, 512, 96, GgmlType.Q8_0).withFast(true);
        try (GgufFile f = parse(RandomModel.toBytes(spec, tokenizer(96)))) {
            MemorySegment qkv = f.tensorData(f.tensor("blk.0.attn_qkv.weight"));
            for (long b = 0; b < qkv.byteSize(); b += 34) {
                float d = Float.float16ToFloat(qkv.get(ValueLayout.JAVA_SHORT_UNALIGNED, b));
                assertTrue(Float.isFinite(d) && d > 0, "scale " + d);
            }
        }
    }

    @Test
    void fastModeWritesKQuantMixesThatRunToFiniteLogits(@TempDir Path dir) throws Exception {
        RandomModelSpec spec = RandomModelSpec.llama(256, 2, 4, 2, 512, 300, GgmlType.F32).withQuantization(QuantizationMix.Q4_K_M).withFast(true);
        Path file = dir.resolve("fast-q4_k_m.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), file);
        try (LanguageModel model = ModelLoader.load(file);
             Session session = model.newSession(64)) {
            session.forward(new int[] {1, 2, 3, 4, 5}, 0, 5, null);
            session.forward(new int[] {6}, 0, 1, null);
            for (float l : session.logits()) assertTrue(Float.isFinite(l), "logit " + l);
        }
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
            assertEquals(GgmlType.Q6_K, f.tensor("blk.1.ffn_down.weight").type());
            assertEquals(GgmlType.Q4_K, f.tensor("blk.0.ffn_down.weight").type());
        }
    }
}
