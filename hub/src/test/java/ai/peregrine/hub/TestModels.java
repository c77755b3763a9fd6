package ai.peregrine.hub;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Repository contents for the tests: small JSON files and random "weights" of a chosen size. */
final class TestModels {
    private TestModels() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    /** A single-file checkpoint plus files the loader does not read (README, a .bin, an onnx folder). */
    static Map<String, byte[]> singleFile(int weightBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", bytes("{\"architectures\":[\"FalconForCausalLM\"],\"hidden_size\":64}"));
        files.put("generation_config.json", bytes("{\"eos_token_id\":11}"));
        files.put("tokenizer.json", bytes("{\"model\":{\"type\":\"BPE\"}}"));
        files.put("tokenizer_config.json", bytes("{\"eos_token\":\"<|endoftext|>\"}"));
        files.put("model.safetensors", random(weightBytes, 1));
        files.put("README.md", bytes("# a model\n"));
        files.put("pytorch_model.bin", random(1000, 2));
        files.put("onnx/model.onnx", bytes("not read"));
        return files;
    }

    /** A sharded checkpoint: the index names two shards; a third .safetensors file is not in the index. */
    static Map<String, byte[]> sharded(int shardBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", bytes("{\"architectures\":[\"LlamaForCausalLM\"]}"));
        files.put("tokenizer.json", bytes("{\"model\":{\"type\":\"BPE\"}}"));
        files.put("model.safetensors.index.json", bytes("""
                {"metadata": {"total_size": %d},
                 "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                "b.weight": "model-00002-of-00002.safetensors",
                                "c.weight": "model-00001-of-00002.safetensors"}}""".formatted(2 * shardBytes)));
        files.put("model-00001-of-00002.safetensors", random(shardBytes, 3));
        files.put("model-00002-of-00002.safetensors", random(shardBytes, 4));
        files.put("consolidated.safetensors", random(shardBytes, 5));
        return files;
    }
}
