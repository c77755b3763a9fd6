package ai.peregrine.server.http;

/**
 * An error answered as TGI answers it: an HTTP status and {@code {"error": message, "error_type": type}}.
 * {@code metricLabel} is the {@code err} label of {@code tgi_request_failure}, or null when not counted.
 */
public final class ApiError extends RuntimeException {
    public static final String VALIDATION_PREFIX = "Input validation error: ";

    private final int status;
    private final String errorType;
    private final String metricLabel;

    public ApiError(int status, String message, String errorType, String metricLabel) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.metricLabel = metricLabel;
    }

    /** TGI's ValidationError: 422 with the "Input validation error: " prefix. */
    public static ApiError validation(String message) {
        return new ApiError(422, VALIDATION_PREFIX + message, "validation", "validation");
    }

    public static ApiError overloaded() {
        return new ApiError(429, "Model is overloaded", "overloaded", "overloaded");
    }

    public static ApiError generation(String message) {
        return new ApiError(424, "Request failed during generation: " + message, "generation", "generation");
    }

    /** A body that is not the JSON the route expects (axum's JsonRejection text; TGI answers 422). */
    public static ApiError deserialization(String detail) {
        return new ApiError(422, "Failed to deserialize the JSON body into the target type: " + detail,
                "validation", "validation");
    }

    public static ApiError malformedJson(String detail) {
        return new ApiError(422, "Failed to parse the request body as JSON: " + detail, "validation", "validation");
    }

    public static ApiError payloadTooLarge(long limit) {
        return new ApiError(413, "Payload too large: the request body exceeds " + limit + " bytes",
                "payload_too_large", null);
    }

    public static ApiError unsupportedMediaType() {
        return new ApiError(415, "Expected request with `Content-Type: application/json`", "unsupported_media_type",
                null);
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    public String metricLabel() {
        return metricLabel;
    }
}
