package ai.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end on the built-in demo model, through picocli as ./peregrine runs it. */
class CliTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void generateJsonIsATgiGenerateResponseWithConsistentDetails() throws Exception {
        Run r = run("generate", "--prompt", "Hello world", "--max-new-tokens", "6", "--threads", "2",
                "--json", "--decoder-input-details", "--top-n-tokens", "3");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("built-in demo model");
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode details = root.get("details");
        assertThat(details.get("finish_reason").asText()).isIn("length", "eos_token");
        JsonNode tokens = details.get("tokens");
        assertThat(tokens.size()).isEqualTo(details.get("generated_tokens").asInt()).isBetween(1, 6);
        assertThat(details.get("seed").isNull()).as("greedy runs report no seed").isTrue();
        StringBuilder text = new StringBuilder();
        for (JsonNode t : tokens) {
            assertThat(t.get("logprob").asDouble()).isLessThanOrEqualTo(0.0);
            if (!t.get("special").asBoolean()) text.append(t.get("text").asText());
        }
        assertThat(root.get("generated_text").asText()).isEqualTo(text.toString());
        JsonNode prefill = details.get("prefill");
        assertThat(prefill.size()).isGreaterThan(1);
        assertThat(prefill.get(0).get("logprob").isNull()).as("the first prompt token has no logprob").isTrue();
        assertThat(prefill.get(1).get("logprob").asDouble()).isLessThan(0.0);
        JsonNode top = details.get("top_tokens");
        assertThat(top.size()).isEqualTo(tokens.size());
        // greedy: the chosen token is the most likely one
        assertThat(top.get(0).get(0).get("id").asInt()).isEqualTo(tokens.get(0).get("id").asInt());
    }

    @Test
    void seededSamplingIsReproducibleAndStreamedTextMatchesJson() {
        String[] args = {"generate", "--prompt", "Once upon a time", "--max-new-tokens", "8", "--threads", "1",
                "--temperature", "0.8", "--top-p", "0.9", "--seed", "42"};
        Run a = run(args);
        Run b = run(args);
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void serveRejectsABadEndpointNameBeforeLoadingAnyModel() {
        Run r = run("serve", "--endpoint", "not_valid=demo", "--port", "0", "--gateway-port", "0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("endpoint name must match").contains("not_valid").doesNotContain("demo model");
    }

    @Test
    void missingModelFileIsAOneLineErrorNamingIt(@TempDir Path dir) {
        Run r = run("generate", "--model", dir.resolve("nope.gguf").toString(), "--prompt", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("file not found").contains("nope.gguf").doesNotContain("Exception");
    }

    @Test
    void aFileThatIsNotGgufIsRejectedByName(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("model.gguf"), "definitely not a model, just text");
        Run r = run("generate", "--model", f.toString(), "--prompt", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not a GGUF file");
    }

    @Test
    void invalidSamplingParametersAreRejectedWithTgiMessages() {
        Run r = run("generate", "--prompt", "x", "--temperature", "0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("`temperature` must be strictly positive");
    }

    @Test
    void anF16KvCacheGeneratesAndBadCacheTypesAreNamed() throws Exception {
        String[] args = {"generate", "--prompt", "Hello world", "--max-new-tokens", "6", "--threads", "1", "--json",
                "--details", "--kv-cache-type", "f16"};
        Run f16 = run(args);
        assertThat(f16.exit()).as(f16.err()).isZero();
        JsonNode tokens = new ObjectMapper().readTree(f16.out()).path("details").path("tokens");
        assertThat(tokens.size()).isBetween(1, 6);
        args[args.length - 1] = "f32";
        JsonNode f32 = new ObjectMapper().readTree(run(args).out()).path("details").path("tokens");
        // the same model and prompt: the halves move log-probabilities a little, not a lot
        assertThat(tokens.get(0).get("logprob").asDouble()).isNotEqualTo(f32.get(0).get("logprob").asDouble())
                .isCloseTo(f32.get(0).get("logprob").asDouble(), org.assertj.core.api.Assertions.within(0.05));

        Run fp8 = run("generate", "--prompt", "x", "--kv-cache-type", "fp8");
        assertThat(fp8.exit()).isEqualTo(2);
        assertThat(fp8.err()).contains("KV cache type 'fp8' is not supported (no fp8 on a CPU): use f16 or f32");
        try (AutoCloseable env = Environment.replacedBy(java.util.Map.of("KV_CACHE_DTYPE", "q4_0"))) {
            Run fromEnv = run("serve", "--port", "0", "--gateway-port", "0");
            assertThat(fromEnv.exit()).isEqualTo(1);
            assertThat(fromEnv.err()).contains("KV_CACHE_DTYPE: KV cache type 'q4_0' is not supported: use f16 or f32")
                    .doesNotContain("demo model");
        }
    }

    @Test
    void benchJsonReportsRates() throws Exception {
        Run r = run("bench", "--prompt-tokens", "8", "--new-tokens", "4", "--reps", "1", "--threads", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("prefill_tokens_per_s").asDouble()).isPositive();
        assertThat(o.get("decode_tokens_per_s").asDouble()).isPositive();
        assertThat(o.get("load_s").asDouble()).isNotNegative();
    }
}
