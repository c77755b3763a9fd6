package ai.peregrine.engine.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes safetensors files and their shard index, as the {@code safetensors} library does (test checkpoints). */
public final class SafetensorsWriter {
    /** One tensor: {@code shape} row-major (outermost first), {@code data} its little-endian bytes. */
    public record Tensor(String name, SafetensorsDtype dtype, long[] shape, byte[] data) {
        public Tensor {
            long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (n * dtype.bytes != data.length) throw new IllegalArgumentException(name + ": " + data.length + " bytes for " + n + " " + dtype);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    /** Writes {@code tensors} in order, with {@code __metadata__ {"format": "pt"}}; returns the bytes of tensor data. */
    public static long write(Path file, List<Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype().name());
            var shape = e.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            e.putArray("data_offsets").add(offset).add(offset + t.data().length);
            offset += t.data().length;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the data section starts 8-aligned; the header is padded with spaces
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] length = new byte[8];
            for (int i = 0; i < 8; i++) length[i] = (byte) ((long) padded >>> (8 * i));
            out.write(length);
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (Tensor t : tensors) out.write(t.data());
        }
        return offset;
    }

    /** Writes {@code model.safetensors.index.json}: {@code metadata.total_size} and the tensor → shard map. */
    public static void writeIndex(Path dir, Map<String, String> weightMap, long totalSize) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    }
}
