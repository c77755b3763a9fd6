package ai.peregrine.engine.tokenizer.hf;

/** A Hugging Face tokenizer file that is missing, malformed, or describes something Peregrine does not support. */
public final class HfFormatException extends RuntimeException {
    public HfFormatException(String message) {
        super(message);
    }

    public HfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
