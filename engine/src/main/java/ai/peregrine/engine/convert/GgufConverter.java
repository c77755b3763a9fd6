package ai.peregrine.engine.convert;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.gguf.GgufView;
import ai.peregrine.engine.gguf.GgufWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ForkJoinPool;

/**
 * Writes a model (a GGUF view: typically a Hugging Face checkpoint) as a GGUF file with its tensors in the types a
 * {@link TargetType} gives them, streaming tensor by tensor: memory stays at a few tens of MB whatever the model size.
 * The file appears under its name only once complete.
 */
public final class GgufConverter {
    private static final int CHUNK = 32 << 20;

    private GgufConverter() {}

    public static void write(GgufView source, TargetType type, Path out, int threads, ProgressListener progress) throws IOException {
        GgufWriter w = new GgufWriter();
        QuantizedView.metadata(source.metadata(), type).entries().forEach(w::put);
        long total = source.tensors().values().stream().mapToLong(GgufTensorInfo::elements).sum();
        String task = "converting to " + type.label();
        long[] done = {0};
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            for (GgufTensorInfo t : source.tensors().values()) {
                GgmlType to = type.typeOf(source, t);
                w.addTensor(t.name(), to, t.shape(), os -> {
                    source.withTensorData(t, data -> {
                        writeTensor(source, t, data, to, pool, os, n -> progress.progress(task, done[0] += n, total));
                        return null;
                    });
                });
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".partial");
            try {
                w.write(tmp);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (UncheckedIOException e) {
                Files.deleteIfExists(tmp);
                throw e.getCause();
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    private interface Progress {
        void add(long weights);
    }

    private static void writeTensor(GgufView source, GgufTensorInfo t, MemorySegment data, GgmlType to, ForkJoinPool pool,
            OutputStream os, Progress progress) {
        try {
            if (to == t.type()) {
                byte[] buf = new byte[(int) Math.min(CHUNK, data.byteSize())];
                for (long off = 0; off < data.byteSize(); off += buf.length) {
                    int n = (int) Math.min(buf.length, data.byteSize() - off);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, buf, 0, n);
                    os.write(buf, 0, n);
                }
                progress.add(t.elements());
                return;
            }
            RowEncoder enc = new RowEncoder(t, data, source.source(), to);
            int step = enc.rowsPerBytes(CHUNK);
            byte[] buf = new byte[step * enc.rowBytes()];
            for (int r = 0; r < enc.rows(); r += step) {
                int r1 = Math.min(enc.rows(), r + step);
                enc.encode(pool, r, r1, buf, 0);
                os.write(buf, 0, (r1 - r) * enc.rowBytes());
                progress.add((long) (r1 - r) * enc.cols());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
