package ai.peregrine.engine.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.model.LanguageModel;
import ai.peregrine.engine.model.LoadOptions;
import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.model.Session;
import ai.peregrine.engine.synthetic.MixGoldenModels;
import ai.peregrine.engine.synthetic.RandomModel;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code convert --type q4_k_m|q5_k_m} writes what llama.cpp's llama-quantize writes from the same F32 weights. */
class KQuantConvertTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"llama-q4_k_m", "falcon-q4_k_m", "llama-q5_k_m", "llama-tied-q4_k_m", "falcon-288-q4_k_m", "falcon-288-q5_k_m"})
    void convertedFileIsLlamaQuantizesTensorForTensor(String name) throws Exception {
        RandomModelSpec spec = MixGoldenModels.ALL.get(name).withWeightType(GgmlType.F32);
        Path f32 = tmp.resolve(name + ".f32.gguf"), out = tmp.resolve(name + ".gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), f32);
        TargetType type = TargetType.parse(name.substring(name.lastIndexOf('-') + 1));
        try (GgufView source = GgufFile.open(f32)) {
            GgufConverter.write(source, type, out, 2, ProgressListener.NONE);
        }
        JsonNode golden = new ObjectMapper().readTree(getClass().getResource("/golden/quantize-mixes.json")).get("models").get(name);
        Map<String, String> theirs = new LinkedHashMap<>();
        golden.fields().forEachRemaining(e -> theirs.put(e.getKey(), e.getValue().asText()));
        try (GgufFile converted = GgufFile.open(out)) {
            assertEquals(theirs, MixGoldenModels.describe(converted));
            assertEquals(type.fileType(), converted.metadata().getInt("general.file_type"));
        }
    }

    /**
     * Quantizing on load gives the bytes the converted file has, so the two compute the same logits; also with 288
     * columns, where the mix falls back to q5_0 and q8_0 (as Falcon-7B's 4544 do).
     */
    @ParameterizedTest
    @ValueSource(strings = {"falcon-q4_k_m", "falcon-288-q4_k_m"})
    void quantizeOnLoadMatchesTheConvertedFile(String name) throws Exception {
        RandomModelSpec spec = MixGoldenModels.ALL.get(name).withWeightType(GgmlType.F32);
        Path f32 = tmp.resolve("f32.gguf"), out = tmp.resolve("q4_k_m.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), f32);
        try (GgufView source = GgufFile.open(f32)) {
            GgufConverter.write(source, TargetType.Q4_K_M, out, 2, ProgressListener.NONE);
        }
        int[] tokens = {5, 6, 7, 8, 9, 10};
        float[] onLoad, converted;
        try (LanguageModel m = ModelLoader.load(f32, new LoadOptions(2, TargetType.Q4_K_M, ProgressListener.NONE)); Session s = m.newSession(16)) {
            s.forward(tokens, 0, tokens.length, null);
            onLoad = s.logits().clone();
        }
        try (LanguageModel m = ModelLoader.load(out, new LoadOptions(2, null, ProgressListener.NONE)); Session s = m.newSession(16)) {
            s.forward(tokens, 0, tokens.length, null);
            converted = s.logits().clone();
        }
        assertThat(onLoad).containsExactly(converted);
    }
}
