package ai.peregrine.engine.gguf;

/** A GGUF file that is malformed, or that uses something Peregrine does not support; the message names it. */
public class GgufFormatException extends RuntimeException {
    public GgufFormatException(String message) {
        super(message);
    }

    public GgufFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
