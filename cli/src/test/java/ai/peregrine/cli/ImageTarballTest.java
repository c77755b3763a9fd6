package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks the image tarball scripts/build-image.sh writes (the default build does not build it: jlink and Jib take
 * longer than unit tests should). Skipped when there is no tarball.
 */
class ImageTarballTest {
    static final Path TARBALL = Path.of(System.getProperty("peregrine.image.tar", "target/peregrine-image.tar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imageRunsServeOnPort8080WithTheBundledRuntime() throws IOException {
        assumeTrue(Files.isRegularFile(TARBALL), "no image tarball; build it with scripts/build-image.sh");
        Map<String, byte[]> entries = untar(Files.newInputStream(TARBALL), name -> name.endsWith(".json")
                || name.endsWith(".tar.gz"));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(entries.get(manifest.get("Config").asText())).get("config");

        assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("/opt/java/bin/java");
        assertThat(config.get("Entrypoint").toString()).contains("jdk.incubator.vector", "ai.peregrine.cli.Main");
        assertThat(config.get("Cmd").toString()).isEqualTo("[\"serve\"]"); // SageMaker runs `<image> serve`
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();

        Set<String> files = new HashSet<>();
        for (JsonNode layer : manifest.get("Layers")) {
            byte[] gz = entries.get(layer.asText());
            files.addAll(untar(new GZIPInputStream(new ByteArrayInputStream(gz)), n -> false).keySet());
        }
        assertThat(manifest.get("Layers").size()).isGreaterThanOrEqualTo(3);
        assertThat(files).contains("opt/java/bin/java", "opt/java/lib/modules",
                "app/classes/ai/peregrine/cli/Main.class");
        assertThat(files).anyMatch(f -> f.matches("lib.*/ld-linux-x86-64\\.so\\.2|lib.*/ld-linux-aarch64\\.so\\.1"));
        assertThat(files).anyMatch(f -> f.startsWith("app/libs/peregrine-server"));
    }

    /** A minimal ustar reader: every entry's name, and the bytes of those {@code keep} selects. */
    static Map<String, byte[]> untar(InputStream in, java.util.function.Predicate<String> keep) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                name = name.startsWith("./") ? name.substring(2) : name.startsWith("/") ? name.substring(1) : name;
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                byte[] data = keep.test(name) ? in.readNBytes((int) size) : null;
                if (data == null) in.skipNBytes(size);
                in.skipNBytes((512 - size % 512) % 512);
                out.put(name, data);
            }
        }
        return out;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
