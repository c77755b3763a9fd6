package ai.peregrine.engine.model;

import ai.peregrine.engine.gguf.GgufFormatException;

/** The transformer families the engine runs, by their GGUF {@code general.architecture} name. */
public enum Architecture {
    LLAMA("llama"),
    FALCON("falcon");

    public final String ggufName;

    Architecture(String ggufName) {
        this.ggufName = ggufName;
    }

    public static Architecture fromGguf(String name) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name)) return a;
        }
        throw new GgufFormatException("model architecture '" + name + "' is not supported (supported: llama, falcon)");
    }
}
