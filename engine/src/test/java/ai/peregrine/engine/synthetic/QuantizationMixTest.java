package ai.peregrine.engine.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.model.Architecture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuantizationMixTest {
    private static final long[] SQUARE = {4096, 4096};

    static Stream<String> mixModels() {
        return MixGoldenModels.ALL.keySet().stream();
    }

    /**
     * The files Peregrine writes are, tensor for tensor, the files llama.cpp's llama-quantize makes of the same F32
     * weights: same type per tensor, same bytes (goldens: tools/oracle/regen-quantizer-goldens.sh).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mixModels")
    void sameTensorTypesAndBytesAsLlamaQuantize(String name) throws Exception {
        JsonNode golden = new ObjectMapper().readTree(getClass().getResource("/golden/quantize-mixes.json")).get("models").get(name);
        RandomModelSpec spec = MixGoldenModels.ALL.get(name);
        byte[] bytes = RandomModel.toBytes(spec, SyntheticTokenizer.forSpec(spec));
        Arena arena = Arena.ofConfined();
        MemorySegment image = arena.allocate(bytes.length, 64).copyFrom(MemorySegment.ofArray(bytes));
        try (GgufFile file = GgufFile.of(name, image, arena)) {
            Map<String, String> ours = MixGoldenModels.describe(file);
            Map<String, String> theirs = new LinkedHashMap<>();
            golden.fields().forEachRemaining(e -> theirs.put(e.getKey(), e.getValue().asText()));
            assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(theirs.keySet());
            for (String tensor : theirs.keySet()) {
                assertEquals(theirs.get(tensor), ours.get(tensor), name + " " + tensor + " (type and sha256 of the bytes)");
            }
            assertEquals(spec.quantization().fileType(), file.metadata().getInt("general.file_type"));
        }
    }

    @Test
    void q4KMGivesSensitiveLlamaTensorsMoreBits() {
        QuantizationMix m = QuantizationMix.Q4_K_M;
        // 32 layers: use_more_bits holds for layers 0-3, 28-31 and every third from 6 to 27
        for (int layer = 0; layer < 32; layer++) {
            boolean more = layer < 4 || layer >= 28 || (layer - 4) % 3 == 2;
            GgmlType expected = more ? GgmlType.Q6_K : GgmlType.Q4_K;
            assertEquals(expected, m.typeOf("blk." + layer + ".attn_v.weight", new long[] {4096, 1024}, Architecture.LLAMA, 32, false), "attn_v " + layer);
            assertEquals(expected, m.typeOf("blk." + layer + ".ffn_down.weight", new long[] {11008, 4096}, Architecture.LLAMA, 32, false), "ffn_down " + layer);
            assertEquals(GgmlType.Q4_K, m.typeOf("blk." + layer + ".attn_q.weight", SQUARE, Architecture.LLAMA, 32, false));
            assertEquals(GgmlType.Q4_K, m.typeOf("blk." + layer + ".ffn_up.weight", new long[] {4096, 11008}, Architecture.LLAMA, 32, false));
        }
        assertEquals(GgmlType.Q6_K, m.typeOf("output.weight", new long[] {4096, 32000}, Architecture.LLAMA, 32, false));
        assertEquals(GgmlType.Q4_K, m.typeOf("token_embd.weight", new long[] {4096, 32000}, Architecture.LLAMA, 32, false));
        assertEquals(GgmlType.Q6_K, m.typeOf("token_embd.weight", new long[] {4096, 32000}, Architecture.LLAMA, 32, true), "tied");
        assertEquals(GgmlType.F32, m.typeOf("blk.0.attn_norm.weight", new long[] {4096}, Architecture.LLAMA, 32, false));
    }

    @Test
    void q4KMOnFalconKeepsTheOutputInQ8_0AndStepsFfnDown() {
        QuantizationMix m = QuantizationMix.Q4_K_M;
        assertEquals(GgmlType.Q8_0, m.typeOf("output.weight", new long[] {4096, 65024}, Architecture.FALCON, 32, false));
        // first sixteenth q6_K, then q5_K where use_more_bits, else q4_K
        assertEquals(GgmlType.Q6_K, m.typeOf("blk.1.ffn_down.weight", new long[] {16384, 4096}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q5_K, m.typeOf("blk.2.ffn_down.weight", new long[] {16384, 4096}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q4_K, m.typeOf("blk.4.ffn_down.weight", new long[] {16384, 4096}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q6_K, m.typeOf("blk.0.attn_qkv.weight", new long[] {4096, 4608}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q4_K, m.typeOf("blk.4.attn_qkv.weight", new long[] {4096, 4608}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q5_K, QuantizationMix.Q5_K_M.typeOf("blk.4.attn_qkv.weight", new long[] {4096, 4608}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q6_K, QuantizationMix.Q5_K_M.typeOf("blk.2.ffn_down.weight", new long[] {16384, 4096}, Architecture.FALCON, 32, false));
    }

    @Test
    void columnsThatAreNotWholeSuperBlocksFallBackAsLlamaCppDoes() {
        // Falcon-7B: 4544 columns. The output falls back to q8_0, q4_K to q5_0 and q5_K to q5_1
        assertEquals(GgmlType.Q8_0, QuantizationMix.Q4_K_M.typeOf("output.weight", new long[] {4544, 65024}, Architecture.LLAMA, 32, false));
        assertEquals(GgmlType.Q5_0, QuantizationMix.Q4_K_M.typeOf("blk.4.attn_qkv.weight", new long[] {4544, 4672}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q5_1, QuantizationMix.Q5_K_M.typeOf("blk.4.attn_qkv.weight", new long[] {4544, 4672}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q8_0, QuantizationMix.Q4_K_M.typeOf("blk.0.attn_qkv.weight", new long[] {4544, 4672}, Architecture.FALCON, 32, false),
                "q6_K for the first layers' attention falls back to q8_0");
        // 18176 columns are whole super-blocks: ffn_down keeps its K-quant
        assertEquals(GgmlType.Q4_K, QuantizationMix.Q4_K_M.typeOf("blk.4.ffn_down.weight", new long[] {18176, 4544}, Architecture.FALCON, 32, false));
        assertEquals(GgmlType.Q4_K, QuantizationMix.pure(GgmlType.Q4_K).typeOf("blk.3.attn_qkv.weight", new long[] {4544, 4672}, Architecture.FALCON, 32, false),
                "a pure mix does not fall back: the writer reports the shape");
    }

    @Test
    void parsesTypeNamesAndLabelsFiles() {
        assertEquals(QuantizationMix.Q4_K_M, QuantizationMix.parse("Q4_K_M"));
        assertEquals(QuantizationMix.pure(GgmlType.Q6_K), QuantizationMix.parse("q6_k"));
        assertEquals(15, QuantizationMix.Q4_K_M.fileType());
        assertEquals(17, QuantizationMix.Q5_K_M.fileType());
        assertEquals(7, QuantizationMix.parse("q8_0").fileType());
        assertEquals(18, QuantizationMix.parse("q6_k").fileType());
        assertThat(QuantizationMix.names()).containsExactly("f32", "f16", "bf16", "q8_0", "q4_0", "q5_0", "q5_1", "q4_k", "q5_k", "q6_k", "q4_k_m", "q5_k_m");
        assertThatThrownBy(() -> QuantizationMix.parse("q3_k_s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown quantization type 'q3_k_s' (supported: f32, f16, bf16, q8_0, q4_0, q5_0, q5_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m)");
    }
}
