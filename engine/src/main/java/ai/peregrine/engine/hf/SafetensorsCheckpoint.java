package ai.peregrine.engine.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists in its {@code weight_map} (tensor name → shard file). Every shard is
 * mapped; a tensor is looked up in the shard the index names. Closing unmaps all shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsCheckpoint(List<SafetensorsFile> shards, Map<String, SafetensorsTensor> tensors) {
        this.shards = shards;
        this.tensors = tensors;
    }

    public static SafetensorsCheckpoint open(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) return sharded(dir, index);
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            return new SafetensorsCheckpoint(List.of(f), f.tensors());
        }
        List<String> others;
        try (Stream<Path> files = Files.list(dir)) {
            others = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors") || n.endsWith(".bin")).sorted().toList();
        }
        if (others.stream().anyMatch(n -> n.endsWith(".safetensors"))) {
            throw new CheckpointFormatException(dir + " has " + others + " but neither " + SINGLE + " nor " + INDEX + " (incomplete download?)");
        }
        throw new CheckpointFormatException(dir + " has no " + SINGLE + " or " + INDEX
                + (others.isEmpty() ? "" : " (PyTorch .bin weights are not supported: use the safetensors files of the model)"));
    }

    private static SafetensorsCheckpoint sharded(Path dir, Path index) throws IOException {
        JsonNode weightMap;
        try {
            weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new CheckpointFormatException(index + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) throw new CheckpointFormatException(index + " has no weight_map");
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                String shardName = e.getValue().asText();
                SafetensorsFile shard = byName.get(shardName);
                if (shard == null) {
                    Path p = dir.resolve(shardName).normalize();
                    if (!e.getValue().isTextual() || !p.getParent().equals(dir.normalize())) {
                        throw new CheckpointFormatException(index + ": tensor " + e.getKey() + " names shard " + e.getValue() + ", not a file of " + dir);
                    }
                    if (!Files.isRegularFile(p)) {
                        throw new CheckpointFormatException(dir + ": shard " + shardName + " listed in " + INDEX + " is missing (incomplete download?)");
                    }
                    shard = SafetensorsFile.open(p);
                    byName.put(shardName, shard);
                }
                SafetensorsTensor t = shard.tensors().get(e.getKey());
                if (t == null) {
                    throw new CheckpointFormatException(dir + ": " + INDEX + " puts tensor " + e.getKey() + " in " + shardName + ", which does not hold it");
                }
                tensors.put(e.getKey(), t);
            }
        } catch (IOException | RuntimeException e) {
            byName.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsCheckpoint(new ArrayList<>(byName.values()), Collections.unmodifiableMap(tensors));
    }

    /** Tensors by name, across all shards. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    public int shardCount() {
        return shards.size();
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
