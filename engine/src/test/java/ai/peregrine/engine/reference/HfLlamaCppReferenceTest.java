package ai.peregrine.engine.reference;

import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.hf.HfFixtures;
import ai.peregrine.engine.hf.HfModelDirectory;
import ai.peregrine.engine.model.LanguageModel;
import ai.peregrine.engine.model.ModelLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tiny Hugging Face checkpoints (BF16, sharded) converted by Peregrine to F32 and to BF16 GGUF files, against
 * llama.cpp running those files (goldens {@code <checkpoint>-<type>}: {@code tools/oracle/regen-reference.sh hf}), with
 * {@link LlamaCppReferenceTest}'s tolerances. The directory itself computes with the checkpoint's bf16 weights, as the
 * BF16 file does (HfCheckpointTest shows it bit for bit), so it is held to llama.cpp's BF16 golden too.
 */
class HfLlamaCppReferenceTest {
    static final String GOLDENS = "/golden/hf-reference";
    static final List<TargetType> TYPES = List.of(TargetType.F32, TargetType.BF16);

    @TempDir
    static Path models;

    static Stream<String> goldens() throws Exception {
        return LlamaCppGolden.names(GOLDENS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void convertedFileAndDirectoryMatchLlamaCpp(String golden) throws Exception {
        LlamaCppGolden expected = LlamaCppGolden.read(GOLDENS, golden);
        int dash = golden.lastIndexOf('-');
        String name = golden.substring(0, dash);
        TargetType type = TargetType.parse(golden.substring(dash + 1));
        Path dir = models.resolve(golden);
        Path checkpoint = HfFixtures.write(name, dir);
        Path file = HfFixtures.convert(name, checkpoint, type, dir);
        expected.assertSameModelFile(file);
        double tol = LlamaCppReferenceTest.tolerance(golden);
        try (LanguageModel model = ModelLoader.load(file, 2)) {
            System.out.printf("%s: max |dlogprob| %.3g (tolerance %.3g)%n", golden, expected.check(model, tol), tol);
        }
        if (type == TargetType.BF16) {
            try (LanguageModel model = ModelLoader.load(HfModelDirectory.open(checkpoint), 2)) {
                System.out.printf("%s, the HF directory: max |dlogprob| %.3g (tolerance %.3g)%n", golden, expected.check(model, tol), tol);
            }
        }
    }
}
