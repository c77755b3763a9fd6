package ai.peregrine.engine.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each fixture's GGUF ({@code NAME.gguf}) and the golden corpus ({@code strings.json}) into a directory, for
 * tools/oracle/regen-tokenizer-goldens.sh to run llama.cpp on.
 */
public final class WriteTokenizerFixtures {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (String name : TokenizerFixtures.NAMES) Files.write(dir.resolve(name + ".gguf"), TokenizerFixtures.gguf(name));
        StringBuilder json = new StringBuilder("[");
        for (String s : GoldenCorpus.all()) json.append(json.length() > 1 ? ",\n" : "\n").append(TestJson.quote(s));
        Files.writeString(dir.resolve("strings.json"), json.append("\n]\n"));
    }
}
