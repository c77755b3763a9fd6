package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.gguf.GgmlType;

/**
 * The built-in demo model: a small Falcon-architecture model with random weights, built in memory so the
 * CLI and server run without a download. Its output is fluent-looking noise, not language.
 */
public final class DemoModel {
    public static final String NAME = "peregrine-demo-falcon-random";
    public static final RandomModelSpec SPEC =
            RandomModelSpec.falcon(256, 4, 4, 1, 1024, 2048, GgmlType.Q8_0).withName(NAME).withSeed(20240501);

    private DemoModel() {}

    /** The demo model as a GGUF image (about 1.5 MB). */
    public static byte[] gguf() {
        return RandomModel.toBytes(SPEC, SyntheticTokenizer.forSpec(SPEC));
    }
}
