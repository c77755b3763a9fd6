package ai.peregrine.cli;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.hf.SafetensorsDtype;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A tiny random BF16 Falcon checkpoint in Hugging Face's layout, for publishing on {@code FakeHub}. */
final class TinyHubCheckpoint {
    static final String ID = "tiny-org/tiny-falcon-instruct";

    private TinyHubCheckpoint() {}

    /** Writes the checkpoint ({@code shards} safetensors files) into {@code dir} and returns its files by name. */
    static Map<String, byte[]> write(Path dir, int shards) throws IOException {
        RandomModelSpec model = RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, GgmlType.BF16).withName("tiny-falcon-instruct");
        RandomHfCheckpoint.write(new RandomHfCheckpoint.Spec(model, "FalconForCausalLM", SafetensorsDtype.BF16, shards), dir);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) files.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return files;
    }
}
