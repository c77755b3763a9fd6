package ai.peregrine.engine.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    @TempDir
    Path dir;

    private static SafetensorsWriter.Tensor tensor(String name, int value) {
        byte[] b = new byte[8];
        java.util.Arrays.fill(b, (byte) value);
        return new SafetensorsWriter.Tensor(name, SafetensorsDtype.F16, new long[] {4}, b);
    }

    private void twoShards() throws Exception {
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), List.of(tensor("a", 1), tensor("b", 2)));
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), List.of(tensor("c", 3)));
        Map<String, String> map = new LinkedHashMap<>();
        map.put("a", "model-00001-of-00002.safetensors");
        map.put("b", "model-00001-of-00002.safetensors");
        map.put("c", "model-00002-of-00002.safetensors");
        SafetensorsWriter.writeIndex(dir, map, 24);
    }

    @Test
    void findsEachTensorInTheShardTheIndexNames() throws Exception {
        twoShards();
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertEquals(2, c.shardCount());
            assertEquals(List.of("a", "b", "c"), List.copyOf(c.tensors().keySet()));
            assertEquals(3, c.tensors().get("c").data().get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(c.tensors().get("c").file().endsWith("model-00002-of-00002.safetensors"));
            assertEquals(1, c.tensors().get("a").data().get(ValueLayout.JAVA_BYTE, 7));
        }
    }

    @Test
    void singleFile() throws Exception {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), List.of(tensor("a", 5)));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertEquals(1, c.shardCount());
            assertEquals(5, c.tensors().get("a").data().get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void missingShardIsNamed() throws Exception {
        twoShards();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("shard model-00002-of-00002.safetensors listed in model.safetensors.index.json is missing"), e.getMessage());
    }

    @Test
    void indexPointingAtTheWrongShardIsNamed() throws Exception {
        twoShards();
        SafetensorsWriter.writeIndex(dir, Map.of("c", "model-00001-of-00002.safetensors"), 8);
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("puts tensor c in model-00001-of-00002.safetensors, which does not hold it"), e.getMessage());
    }

    @Test
    void shardOutsideTheDirectoryIsRefused() throws Exception {
        twoShards();
        SafetensorsWriter.writeIndex(dir, Map.of("c", "../elsewhere.safetensors"), 8);
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("names shard \"../elsewhere.safetensors\", not a file of"), e.getMessage());
    }

    @Test
    void directoryWithoutWeightsSaysWhatIsMissing() throws Exception {
        var e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("has no model.safetensors or model.safetensors.index.json"), e.getMessage());
        Files.write(dir.resolve("pytorch_model.bin"), new byte[4]);
        e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("PyTorch .bin weights are not supported"), e.getMessage());
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), List.of(tensor("a", 1)));
        e = assertThrows(CheckpointFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("but neither model.safetensors nor model.safetensors.index.json"), e.getMessage());
    }
}
