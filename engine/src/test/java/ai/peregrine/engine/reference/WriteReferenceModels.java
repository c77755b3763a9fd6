package ai.peregrine.engine.reference;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command line for tools/oracle/regen-reference.sh: writes every reference model into a directory and lists their names. */
public final class WriteReferenceModels {
    private WriteReferenceModels() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: WriteReferenceModels DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (String name : ReferenceModels.ALL.keySet()) {
            ReferenceModels.write(name, dir);
            System.out.println(name);
        }
    }
}
