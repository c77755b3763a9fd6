package ai.peregrine.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.synthetic.QuantizationMix;
import ai.peregrine.engine.synthetic.RandomModel;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A batched decode step gives every sequence the logits it would get alone, whatever its length and whichever
 * kernels the weight type takes (q8_0/q4_0 batches of four share decoded blocks; the rest, the K-quants included,
 * run row by row).
 */
class BatchDecoderTest {
    static Stream<String> models() {
        return Stream.of("demo", "llama-q4_0", "llama-q8_0", "falcon-q4_0", "llama-f16", "llama-q4_k_m", "falcon-q4_k_m", "llama-q5_0", "falcon-q5_1");
    }

    private static TransformerModel load(String name) {
        return load(name, 2);
    }

    static TransformerModel load(String name, int threads) {
        if (name.equals("demo")) return ModelLoader.loadDemo(threads);
        String[] p = name.split("-");
        QuantizationMix mix = QuantizationMix.parse(p[1]);
        // 96 columns: an odd number of 32-value blocks per row, so the kernels' single-block tail runs too;
        // the K-quant mixes (q4_K, q5_K, q6_K and a q8_0 falcon output) need rows of whole 256-value super-blocks
        int e = mix.baseType().blockSize == 256 ? 256 : 96, ff = mix.baseType().blockSize == 256 ? 512 : 160;
        RandomModelSpec spec = (p[0].equals("llama")
                ? RandomModelSpec.llama(e, 2, 4, 2, ff, 1200, GgmlType.F32)
                : RandomModelSpec.falcon(e, 2, 4, 1, ff, 1200, GgmlType.F32)).withQuantization(mix);
        byte[] image = RandomModel.toBytes(spec.withSeed(7), SyntheticTokenizer.forSpec(spec));
        Arena arena = Arena.ofShared();
        MemorySegment native_ = arena.allocate(image.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(image), 0, native_, 0, image.length);
        return ModelLoader.load(GgufFile.of(name, native_, arena), threads);
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchedStepsMatchSequentialDecodingForSequencesOfDifferentLengths(String name) {
        try (TransformerModel model = load(name)) {
            int[][] prompts = {{5, 6, 7, 8, 9, 10, 11}, {300, 301}, {42}, {7, 7, 7}, {1000, 1001, 1002, 1003},
                    {9}, {11, 12}, {13, 14, 15, 16, 17}, {18}};
            int n = prompts.length;
            Session[] alone = new Session[n];
            Session[] batched = new Session[n];
            for (int i = 0; i < n; i++) {
                alone[i] = model.newSession(64);
                batched[i] = model.newSession(64);
                alone[i].forward(prompts[i], 0, prompts[i].length, null);
                batched[i].forward(prompts[i], 0, prompts[i].length, null);
            }
            BatchDecoder decoder = model.newBatchDecoder(9);
            int[] next = new int[n];
            for (int step = 0; step < 6; step++) {
                for (int i = 0; i < n; i++) next[i] = argmax(alone[i].logits());
                for (int i = 0; i < n; i++) alone[i].forward(next, i, 1, null);
                decoder.decode(List.of(batched), next);
                for (int i = 0; i < n; i++) {
                    assertThat(batched[i].position()).isEqualTo(alone[i].position());
                    // bit for bit: batching must not change what a sequence generates
                    assertThat(batched[i].logits()).as("sequence %d step %d", i, step).containsExactly(alone[i].logits());
                }
            }
        }
    }

    @Test
    void misuseIsRejectedBeforeAnythingRuns() {
        try (TransformerModel model = ModelLoader.loadDemo(1)) {
            Session s = model.newSession(2);
            s.forward(new int[] {1, 2}, 0, 2, null);
            BatchDecoder decoder = model.newBatchDecoder(2);
            assertThatThrownBy(() -> decoder.decode(List.of(s), new int[] {3})).hasMessageContaining("exceeds the context length");
            Session t = model.newSession(8);
            assertThatThrownBy(() -> decoder.decode(List.of(t, t), new int[] {3, 4})).hasMessageContaining("twice");
            assertThatThrownBy(() -> decoder.decode(List.of(t, t, t), new int[] {3, 4, 5})).hasMessageContaining("exceeds 2");
            assertThat(t.position()).isZero();
        }
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }
}
