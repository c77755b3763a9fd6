package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufFile;
import ai.peregrine.engine.hf.SafetensorsDtype;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.RandomModel;
import ai.peregrine.engine.synthetic.RandomModelSpec;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert} and {@code --quantize} through picocli, as ./peregrine runs them. */
class ConvertCommandTest {
    @TempDir
    Path tmp;

    private Path randomF16() throws Exception {
        RandomModelSpec spec = RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, GgmlType.F16).withName("cli-falcon-f16");
        Path file = tmp.resolve("falcon-f16.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), file);
        return file;
    }

    @Test
    void convertsAGgufToQ8_0WithProgress() throws Exception {
        Path out = tmp.resolve("falcon-q8_0.gguf");
        CliTest.Run r = CliTest.run("convert", randomF16().toString(), "--to", out.toString(), "--type", "q8_0", "--threads", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("peregrine: converting to q8_0 100%").contains("wrote " + out + " (falcon, q8_0");
        assertThat(tmp.resolve("falcon-q8_0.gguf.partial")).doesNotExist();
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.tensor("blk.0.attn_qkv.weight").type()).isEqualTo(GgmlType.Q8_0);
            assertThat(f.tensor("blk.0.attn_norm.weight").type()).isEqualTo(GgmlType.F32);
            assertThat(f.metadata().getInt("general.file_type")).isEqualTo(7);
            assertThat(f.metadata().getStrings("tokenizer.ggml.tokens")).hasSize(512);
        }
        CliTest.Run gen = CliTest.run("generate", "--model", out.toString(), "--prompt", "Hello", "--max-new-tokens", "3", "--threads", "1");
        assertThat(gen.exit()).as(gen.err()).isZero();
    }

    @Test
    void aQ4_0FileIsRepackedOnceIntoTheCacheAndMappedAfterwards() throws Exception {
        Path out = tmp.resolve("falcon-q4_0.gguf");
        assertThat(CliTest.run("convert", randomF16().toString(), "--to", out.toString(), "--type", "q4_0").exit()).isZero();
        Path folder = tmp.resolve("cache").resolve("repacked");
        String[] generate = {"generate", "--model", out.toString(), "--prompt", "Hello", "--max-new-tokens", "4", "--threads", "1"};
        try (AutoCloseable env = Environment.replacedBy(java.util.Map.of("PEREGRINE_CACHE", tmp.resolve("cache").toString()))) {
            CliTest.Run first = CliTest.run(generate);
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.err()).contains("peregrine: repacking Q4_0 weights once into " + folder);
            try (var entries = Files.list(folder)) {
                assertThat(entries.toList()).singleElement().satisfies(p -> assertThat(p.toString()).endsWith(".q4x8"));
            }
            CliTest.Run second = CliTest.run(generate);
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.err()).doesNotContain("repacking");
            assertThat(second.out()).isEqualTo(first.out());
            String[] uncached = java.util.Arrays.copyOf(generate, generate.length + 1);
            uncached[generate.length] = "--no-repack-cache";
            CliTest.Run inMemory = CliTest.run(uncached);
            assertThat(inMemory.err()).doesNotContain("repacking");
            assertThat(inMemory.out()).isEqualTo(first.out());
        }
    }

    /** llama.cpp's Q4_K_M mix: q4_K matrices, q6_K output, attn_v and ffn_down in q6_K in the layers llama.cpp picks. */
    @Test
    void convertsToQ4_K_MAndRuns() throws Exception {
        RandomModelSpec spec = RandomModelSpec.llama(256, 2, 4, 2, 512, 512, GgmlType.F16).withName("cli-llama-f16");
        Path f16 = tmp.resolve("llama-f16.gguf"), out = tmp.resolve("llama-q4_k_m.gguf");
        RandomModel.write(spec, SyntheticTokenizer.forSpec(spec), f16);
        CliTest.Run r = CliTest.run("convert", f16.toString(), "--to", out.toString(), "--type", "q4_k_m", "--threads", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("peregrine: converting to q4_k_m 100%").contains("(llama, q4_k_m");
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.metadata().getInt("general.file_type")).isEqualTo(15);
            assertThat(f.tensor("output.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(f.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q4_K);
            assertThat(f.tensor("blk.0.attn_v.weight").type()).isEqualTo(GgmlType.Q4_K);
            assertThat(f.tensor("blk.1.attn_v.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(f.tensor("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(f.tensor("blk.0.ffn_norm.weight").type()).isEqualTo(GgmlType.F32);
        }
        CliTest.Run gen = CliTest.run("generate", "--model", out.toString(), "--prompt", "Hello", "--max-new-tokens", "3", "--threads", "1");
        assertThat(gen.exit()).as(gen.err()).isZero();
    }

    /** A sharded BF16 Falcon-7B-style checkpoint with a Falcon tokenizer.json. */
    private Path hfFalcon() throws Exception {
        RandomModelSpec model = RandomModelSpec.falcon(128, 2, 4, 1, 512, 512, GgmlType.BF16).withName("cli-hf-falcon");
        Path dir = tmp.resolve("hf-falcon");
        RandomHfCheckpoint.write(new RandomHfCheckpoint.Spec(model, "FalconForCausalLM", SafetensorsDtype.BF16, 2), dir);
        return dir;
    }

    @Test
    void hfDirectoryConvertsAndRunsAsItsConversionDoes() throws Exception {
        Path dir = hfFalcon();
        Path out = tmp.resolve("falcon.q8_0.gguf");
        CliTest.Run convert = CliTest.run("convert", dir.toString(), "--to", out.toString(), "--type", "q8_0", "--threads", "2");
        assertThat(convert.exit()).as(convert.err()).isZero();
        assertThat(convert.err()).contains("peregrine: converting to q8_0 100%").contains("(falcon, q8_0");
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.metadata().getString("general.name")).isEqualTo("hf-falcon");
            assertThat(f.metadata().getString("tokenizer.ggml.pre")).isEqualTo("falcon");
            assertThat(f.tensor("blk.0.attn_qkv.weight").type()).isEqualTo(GgmlType.Q8_0);
        }
        String[] prompt = {"--prompt", "The quick brown fox", "--max-new-tokens", "8", "--threads", "1", "--json"};
        CliTest.Run fromDir = CliTest.run(concat(new String[] {"generate", "--model", dir.toString(), "--quantize", "q8_0"}, prompt));
        CliTest.Run fromFile = CliTest.run(concat(new String[] {"generate", "--model", out.toString()}, prompt));
        assertThat(fromDir.exit()).as(fromDir.err()).isZero();
        assertThat(fromFile.exit()).as(fromFile.err()).isZero();
        assertThat(fromDir.err()).contains("peregrine: quantizing to q8_0 100%");
        JsonNode a = new ObjectMapper().readTree(fromDir.out()), b = new ObjectMapper().readTree(fromFile.out());
        assertThat(a.get("generated_text").asText()).isEqualTo(b.get("generated_text").asText()).isNotEmpty();
    }

    @Test
    void unsupportedCheckpointIsRefusedByName() throws Exception {
        Path dir = hfFalcon();
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"alibi\" : false", "\"alibi\" : true"));
        CliTest.Run r = CliTest.run("generate", "--model", dir.toString(), "--prompt", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ALiBi position biases (alibi: true, the Falcon-RW models) are not supported");
        Files.delete(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"alibi\" : true", "\"alibi\" : false"));
        CliTest.Run noTokenizer = CliTest.run("convert", dir.toString(), "--to", tmp.resolve("x.gguf").toString());
        assertThat(noTokenizer.exit()).isEqualTo(1);
        assertThat(noTokenizer.err()).contains("tokenizer.json");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void quantizeOnLoadReportsProgress() throws Exception {
        CliTest.Run r = CliTest.run("generate", "--model", randomF16().toString(), "--quantize", "q4_0", "--prompt", "Hello",
                "--max-new-tokens", "3", "--threads", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("peregrine: quantizing to q4_0 100%");
        assertThat(r.out()).contains("generated_text");
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        CliTest.Run type = CliTest.run("convert", randomF16().toString(), "--to", tmp.resolve("x.gguf").toString(), "--type", "q3_k");
        assertThat(type.exit()).isNotZero();
        assertThat(type.err()).contains("unknown type 'q3_k' (one of f32, f16, bf16, q8_0, q4_0, q4_k, q5_k, q6_k, q4_k_m, q5_k_m)");
        CliTest.Run missing = CliTest.run("convert", tmp.resolve("nope").toString(), "--to", tmp.resolve("x.gguf").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("file not found").contains("nope");
        Files.createDirectories(tmp.resolve("not-a-model"));
        CliTest.Run notHf = CliTest.run("convert", tmp.resolve("not-a-model").toString(), "--to", tmp.resolve("x.gguf").toString());
        assertThat(notHf.exit()).isEqualTo(1);
        assertThat(notHf.err()).contains("is a directory without config.json");
        CliTest.Run quantize = CliTest.run("generate", "--model", randomF16().toString(), "--quantize", "f16", "--prompt", "x");
        assertThat(quantize.exit()).isNotZero();
        assertThat(quantize.err()).contains("'f16' is not a quantized type (q8_0, q4_0, q4_k, q5_k, q6_k, q4_k_m, q5_k_m)");
    }
}
