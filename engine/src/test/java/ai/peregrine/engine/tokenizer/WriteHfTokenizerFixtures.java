package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.synthetic.SyntheticHfTokenizer.Flavour;
import ai.peregrine.engine.tokenizer.hf.HfCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the GGUF of each tokenizer.json flavour's converted metadata ({@code hf-NAME.gguf}) and the corpus
 * ({@code strings.json}) into a directory, for tools/oracle/regen-hf-tokenizer-goldens.sh to run llama.cpp on.
 */
public final class WriteHfTokenizerFixtures {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Flavour f : Flavour.values()) Files.write(dir.resolve(HfTokenizerGgufFixtures.name(f) + ".gguf"), HfTokenizerGgufFixtures.gguf(f));
        StringBuilder json = new StringBuilder("[");
        for (String s : HfCorpus.forGoldens()) json.append(json.length() > 1 ? ",\n" : "\n").append(TestJson.quote(s));
        Files.writeString(dir.resolve("strings.json"), json.append("\n]\n"));
    }
}
