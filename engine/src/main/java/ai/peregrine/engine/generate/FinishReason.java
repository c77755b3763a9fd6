package ai.peregrine.engine.generate;

/** Why generation stopped, with TGI's wire strings. */
public enum FinishReason {
    LENGTH("length"),
    EOS_TOKEN("eos_token"),
    STOP_SEQUENCE("stop_sequence");

    private final String wire;

    FinishReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
