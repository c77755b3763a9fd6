package ai.peregrine.engine.hf;

/** A Hugging Face model directory that is malformed, incomplete, or uses something Peregrine does not run; the message names it. */
public class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
