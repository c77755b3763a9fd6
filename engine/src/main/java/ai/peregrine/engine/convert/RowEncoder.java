package ai.peregrine.engine.convert;

import ai.peregrine.engine.gguf.GgmlType;
import ai.peregrine.engine.gguf.GgufTensorInfo;
import ai.peregrine.engine.synthetic.GgmlEncoding;
import ai.peregrine.engine.tensor.WeightMatrices;
import ai.peregrine.engine.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Re-encodes a tensor's rows into another ggml type through f32, as ggml's reference quantizers do
 * ({@link GgmlEncoding}); rows are encoded in parallel chunks on a pool. Stateless per call, so one encoder serves
 * all threads.
 */
final class RowEncoder {
    /** About this many weights per parallel piece: big enough to outweigh a hand-off, small enough to balance. */
    private static final int PIECE = 1 << 18;

    private final WeightMatrix source;
    private final GgmlType to;
    private final int rowBytes;

    RowEncoder(GgufTensorInfo t, MemorySegment data, String sourceName, GgmlType to) {
        this.source = WeightMatrices.of(t, data, sourceName);
        this.to = to;
        this.rowBytes = Math.toIntExact(to.bytesFor(source.cols()));
    }

    int rows() {
        return source.rows();
    }

    int cols() {
        return source.cols();
    }

    int rowBytes() {
        return rowBytes;
    }

    /** Rows whose encoding fits in about {@code bytes}. */
    int rowsPerBytes(long bytes) {
        return (int) Math.max(1, Math.min(rows(), bytes / rowBytes));
    }

    /** Encodes rows [r0, r1) into {@code out} from {@code off}, in parallel pieces on {@code pool}. */
    void encode(ForkJoinPool pool, int r0, int r1, byte[] out, int off) {
        int piece = Math.max(1, PIECE / source.cols());
        int pieces = (r1 - r0 + piece - 1) / piece;
        pool.submit(() -> IntStream.range(0, pieces).parallel().forEach(p -> {
            int a = r0 + p * piece, b = Math.min(r1, a + piece);
            encodeSerial(a, b, out, off + (a - r0) * rowBytes);
        })).join();
    }

    private void encodeSerial(int r0, int r1, byte[] out, int off) {
        float[] row = new float[source.cols()];
        for (int r = r0; r < r1; r++) {
            source.dequantizeRow(r, row, 0);
            GgmlEncoding.encode(to, row, 0, row.length, out, off + (r - r0) * rowBytes);
        }
    }
}
