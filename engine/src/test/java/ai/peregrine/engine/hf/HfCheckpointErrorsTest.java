package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.peregrine.engine.model.ModelLoader;
import ai.peregrine.engine.synthetic.RandomHfCheckpoint;
import ai.peregrine.engine.synthetic.SyntheticTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint that does not match its config.json, or is damaged, fails to open with a message naming the problem. */
class HfCheckpointErrorsTest {
    @TempDir
    Path tmp;

    private static final String NAME = "hf-falcon7b";

    /** The fixture as one model.safetensors whose tensor list {@code edit} may change. */
    private Path single(Consumer<List<SafetensorsWriter.Tensor>> edit) throws Exception {
        var spec = new RandomHfCheckpoint.Spec(HfFixtures.spec(NAME).model(), "FalconForCausalLM", SafetensorsDtype.BF16, 1);
        Path dir = tmp.resolve("ckpt");
        RandomHfCheckpoint.write(spec, dir);
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            f.tensors().values().forEach(t -> tensors.add(new SafetensorsWriter.Tensor(t.name(), t.dtype(), t.shape(),
                    t.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
        }
        edit.accept(tensors);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        return dir;
    }

    private static void fails(Path dir, String expected) {
        var e = assertThrows(CheckpointFormatException.class, () -> HfModelDirectory.open(dir).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void tensorTheConfigDoesNotExplain() throws Exception {
        fails(single(t -> t.add(new SafetensorsWriter.Tensor("transformer.h.0.self_attention.query_key_value.bias",
                        SafetensorsDtype.BF16, new long[] {192}, new byte[384]))),
                "tensor transformer.h.0.self_attention.query_key_value.bias has no place in a FalconForCausalLM as config.json describes it");
    }

    @Test
    void oldBuffersAreIgnored() throws Exception {
        Path dir = single(t -> t.add(new SafetensorsWriter.Tensor("transformer.h.0.self_attention.rotary_emb.inv_freq",
                SafetensorsDtype.F32, new long[] {16}, new byte[64])));
        HfModelDirectory.open(dir).close();
    }

    @Test
    void missingTensor() throws Exception {
        fails(single(t -> t.removeIf(x -> x.name().equals("transformer.h.1.mlp.dense_4h_to_h.weight"))),
                "tensor transformer.h.1.mlp.dense_4h_to_h.weight is missing from the checkpoint");
    }

    @Test
    void unsupportedDtype() throws Exception {
        fails(single(t -> t.replaceAll(x -> x.name().equals("transformer.ln_f.weight")
                        ? new SafetensorsWriter.Tensor(x.name(), SafetensorsDtype.I32, x.shape(), new byte[4 * 128]) : x)),
                "tensor transformer.ln_f.weight has dtype I32; Peregrine reads F32, F16 and BF16 checkpoints");
    }

    @Test
    void shapeThatDisagreesWithTheConfig() throws Exception {
        Path dir = single(t -> {});
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        config.put("ffn_hidden_size", 256);
        Files.writeString(dir.resolve("config.json"), config.toString());
        fails(dir, "tensor transformer.h.0.mlp.dense_h_to_4h.weight has shape [512, 128] but config.json implies [256, 128]");
    }

    @Test
    void truncatedShard() throws Exception {
        Path dir = HfFixtures.write(NAME, tmp);
        Path shard = dir.resolve("model-00002-of-00002.safetensors");
        byte[] all = Files.readAllBytes(shard);
        Files.write(shard, Arrays.copyOf(all, all.length - 100));
        fails(dir, "(truncated download?)");
    }

    @Test
    void alibiConfigIsRejectedBeforeAnyWeightIsRead() throws Exception {
        Path dir = single(t -> {});
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        config.put("alibi", true);
        Files.writeString(dir.resolve("config.json"), config.toString());
        fails(dir, "ALiBi position biases");
    }

    @Test
    void directoryWithoutConfigJson() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        var e = assertThrows(CheckpointFormatException.class, () -> ModelLoader.load(dir, 1));
        assertTrue(e.getMessage().contains("is a directory without config.json"), e.getMessage());
    }

    @Test
    void tokenizerMustCoverTheEmbeddingRows() throws Exception {
        Path dir = single(t -> {});
        var e = assertThrows(CheckpointFormatException.class, () -> HfCheckpoint.open(dir, SyntheticTokenizer.byteLevel(600, "falcon")));
        assertTrue(e.getMessage().contains("the tokenizer has 600 tokens but the embeddings 512 rows"), e.getMessage());
    }

    @Test
    void missingTokenizerJsonIsNamed() throws Exception {
        Path dir = single(t -> {});
        Files.delete(dir.resolve("tokenizer.json"));
        var e = assertThrows(RuntimeException.class, () -> HfModelDirectory.open(dir));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void metadataIsWhatLlamaCppsConverterWrites() throws Exception {
        try (HfCheckpoint c = HfModelDirectory.open(HfFixtures.write(NAME, tmp))) {
            var md = c.metadata();
            assertEquals("falcon", md.getString("general.architecture"));
            assertEquals("gpt2", md.getString("tokenizer.ggml.model"));
            assertEquals("falcon", md.getString("tokenizer.ggml.pre"));
            assertEquals(512, md.getStrings("tokenizer.ggml.tokens").length, "unused ids padded up to vocab_size");
            assertEquals("jploski", md.getString("falcon.tensor_data_layout"));
            assertEquals(4, md.getInt("falcon.attention.head_count"));
            assertEquals(1, md.getInt("falcon.attention.head_count_kv"));
            assertEquals(32, md.getInt("general.file_type"), "mostly BF16");
            assertFalse(c.hasTensor("blk.0.attn_norm_2.weight"));
            assertArrayEquals(new long[] {128, 128 + 2 * 32}, c.tensor("blk.0.attn_qkv.weight").shape());
        }
    }
}
