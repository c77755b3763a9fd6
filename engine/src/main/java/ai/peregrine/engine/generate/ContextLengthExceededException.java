package ai.peregrine.engine.generate;

/** Prompt tokens plus max_new_tokens do not fit the session's context; the message is TGI's validation text. */
public final class ContextLengthExceededException extends IllegalArgumentException {
    private final int promptTokens;
    private final int maxNewTokens;
    private final int maxTotalTokens;

    public ContextLengthExceededException(int promptTokens, int maxNewTokens, int maxTotalTokens) {
        super("`inputs` tokens + `max_new_tokens` must be <= " + maxTotalTokens + ". Given: " + promptTokens
                + " `inputs` tokens and " + maxNewTokens + " `max_new_tokens`");
        this.promptTokens = promptTokens;
        this.maxNewTokens = maxNewTokens;
        this.maxTotalTokens = maxTotalTokens;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    public int maxTotalTokens() {
        return maxTotalTokens;
    }
}
