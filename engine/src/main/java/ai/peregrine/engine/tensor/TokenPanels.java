package ai.peregrine.engine.tensor;

/**
 * A prompt chunk's activations laid out for {@link PrefillGemm}: tokens in panels of {@link #WIDTH} (two float
 * vectors), each panel column-major — the values of all its tokens at column k are adjacent, so the kernel loads
 * them as two vectors and multiplies them by one broadcast weight. The last panel's slots past the last token hold
 * zeros. Laid out once per matrix product (not per row range), in a buffer that only grows: no allocation per call.
 */
public final class TokenPanels {
    /** Tokens per panel. */
    static final int WIDTH = 2 * Vectors.L;

    float[] data = new float[0];
    int nTok;
    int cols;

    /** Lays out tokens t in [0, nTok) of {@code x} (row t at {@code x[t*cols ...]}). */
    public void set(float[] x, int nTok, int cols) {
        int panels = panels(nTok);
        int size = panels * cols * WIDTH;
        if (data.length < size) data = new float[size];
        this.nTok = nTok;
        this.cols = cols;
        for (int p = 0; p < panels; p++) {
            int base = p * cols * WIDTH;
            for (int j = 0; j < WIDTH; j++) {
                int t = p * WIDTH + j;
                if (t < nTok) {
                    for (int k = 0, from = t * cols, to = base + j; k < cols; k++, to += WIDTH) data[to] = x[from + k];
                } else {
                    for (int k = 0, to = base + j; k < cols; k++, to += WIDTH) data[to] = 0f;
                }
            }
        }
    }

    static int panels(int nTok) {
        return (nTok + WIDTH - 1) / WIDTH;
    }
}
