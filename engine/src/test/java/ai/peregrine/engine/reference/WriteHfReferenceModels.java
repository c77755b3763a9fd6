package ai.peregrine.engine.reference;

import ai.peregrine.engine.convert.TargetType;
import ai.peregrine.engine.hf.HfFixtures;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Command line for {@code tools/oracle/regen-reference.sh hf}: writes every Hugging Face test checkpoint into
 * {@code DIR/<name>/}, converts it to {@code DIR/<name>-f32.gguf} and {@code DIR/<name>-bf16.gguf} and lists those
 * file names without {@code .gguf}.
 */
public final class WriteHfReferenceModels {
    private WriteHfReferenceModels() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: WriteHfReferenceModels DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (String name : HfFixtures.REFERENCE) {
            Path checkpoint = HfFixtures.write(name, dir);
            for (TargetType type : HfLlamaCppReferenceTest.TYPES) {
                HfFixtures.convert(name, checkpoint, type, dir);
                System.out.println(name + "-" + type.label());
            }
        }
    }
}
