package ai.peregrine.lambda;

import java.util.Map;

/** What the function answers, whatever the event format: a status and a JSON body. */
public record Reply(int statusCode, String body) {
    public Map<String, String> headers() {
        return Map.of("Content-Type", "application/json");
    }
}
