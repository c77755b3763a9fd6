package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufMetadata;
import ai.peregrine.engine.gguf.GgufValue;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer;
import ai.peregrine.engine.synthetic.SyntheticHfTokenizer.Flavour;
import ai.peregrine.engine.tokenizer.hf.HfTokenizerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * GGUF files carrying the metadata {@link HfTokenizerFiles#toGgufMetadata} makes of each synthetic tokenizer.json
 * flavour (what the model converter writes), for llama.cpp goldens (tools/oracle/regen-hf-tokenizer-goldens.sh).
 */
final class HfTokenizerGgufFixtures {
    static final int VOCAB = 1024;
    private static final Map<Flavour, GgufMetadata> METADATA = new java.util.concurrent.ConcurrentHashMap<>();

    private HfTokenizerGgufFixtures() {}

    static String name(Flavour flavour) {
        return "hf-" + flavour.name().toLowerCase(java.util.Locale.ROOT);
    }

    static GgufMetadata metadata(Flavour flavour) {
        return METADATA.computeIfAbsent(flavour, HfTokenizerGgufFixtures::translate);
    }

    private static GgufMetadata translate(Flavour flavour) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("hf-tokenizer");
            SyntheticHfTokenizer.write(dir, flavour, VOCAB);
            return HfTokenizerFiles.toGgufMetadata(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    /** The same metadata without Peregrine's keys: how llama.cpp sees it. */
    static GgufMetadata asLlamaCppSeesIt(GgufMetadata md) {
        Map<String, GgufValue> entries = new LinkedHashMap<>(md.entries());
        entries.keySet().removeIf(k -> k.startsWith("tokenizer.peregrine."));
        return new GgufMetadata(entries);
    }

    static byte[] gguf(Flavour flavour) {
        GgufMetadata md = metadata(flavour);
        return TinyLlamaGguf.write(md.entries(), md.getStrings(TokenizerKeys.TOKENS).length);
    }

    private static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
