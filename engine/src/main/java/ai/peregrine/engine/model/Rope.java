package ai.peregrine.engine.model;

/**
 * Rotary position embedding, computed as ggml does: theta starts at the position and is multiplied by
 * base^(-2/ropeDim) in float for each pair, cos/sin in float. Llama rotates adjacent pairs (2i, 2i+1);
 * Falcon uses NeoX pairs (i, i + ropeDim/2).
 */
final class Rope {
    private final int ropeDim;
    private final boolean neox;
    private final float thetaScale;
    private final float[] cos;
    private final float[] sin;

    Rope(ModelConfig c, int maxTokens) {
        this.ropeDim = c.ropeDim();
        this.neox = c.architecture() == Architecture.FALCON;
        this.thetaScale = (float) Math.pow(c.ropeTheta(), -2.0 / ropeDim);
        this.cos = new float[maxTokens * ropeDim / 2];
        this.sin = new float[maxTokens * ropeDim / 2];
    }

    /** Fills the tables for tokens t at positions[t]. */
    void prepare(int[] positions, int nTok) {
        int half = ropeDim / 2;
        for (int t = 0; t < nTok; t++) {
            float theta = positions[t];
            for (int i = 0; i < half; i++) {
                cos[t * half + i] = (float) Math.cos(theta);
                sin[t * half + i] = (float) Math.sin(theta);
                theta *= thetaScale;
            }
        }
    }

    /** Rotates the head vector at v[off, off + headDim) of token t. */
    void apply(float[] v, int off, int t) {
        int half = ropeDim / 2;
        int tab = t * half;
        for (int i = 0; i < half; i++) {
            int a = neox ? off + i : off + 2 * i;
            int b = neox ? a + half : a + 1;
            float c = cos[tab + i], s = sin[tab + i];
            float x0 = v[a], x1 = v[b];
            v[a] = x0 * c - x1 * s;
            v[b] = x0 * s + x1 * c;
        }
    }
}
