package ai.peregrine.engine.generate;

/**
 * Seconds spent in prefill (prompt forward and the first token) and in decoding the remaining tokens;
 * {@code timePerToken} is total inference time over generated tokens, as TGI's {@code x-time-per-token}.
 */
public record Timings(double prefillSeconds, double decodeSeconds, double timePerToken) {}
