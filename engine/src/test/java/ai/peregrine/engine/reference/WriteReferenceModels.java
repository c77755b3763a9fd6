package ai.peregrine.engine.reference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line for tools/oracle/regen-reference.sh: writes the named reference models (all of them when none is
 * named) into a directory and lists their names.
 */
public final class WriteReferenceModels {
    private WriteReferenceModels() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: WriteReferenceModels DIR [NAME...]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length) : List.copyOf(ReferenceModels.ALL.keySet());
        for (String name : names) {
            if (!ReferenceModels.ALL.containsKey(name)) {
                System.err.println("no reference model " + name + " (known: " + String.join(" ", ReferenceModels.ALL.keySet()) + ")");
                System.exit(2);
            }
        }
        for (String name : names) {
            ReferenceModels.write(name, dir);
            System.out.println(name);
        }
    }
}
