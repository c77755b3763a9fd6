package ai.peregrine.lambda;

/** A request body that does not match the seed schema; {@code field} names the offending field ("parameters.top_p"). */
public final class InvalidPayloadException extends RuntimeException {
    private final String field;

    public InvalidPayloadException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
