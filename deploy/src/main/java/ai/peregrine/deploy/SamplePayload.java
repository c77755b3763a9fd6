package ai.peregrine.deploy;

/** The seed tutorial's request, used in the printed curl example and as {@code invoke}'s default parameters. */
public final class SamplePayload {
    public static final String INPUTS = "Where is Munich? and is it beautiful?";
    public static final String PARAMETERS =
            "{\"top_p\": 0.9, \"temperature\": 0.8, \"max_new_tokens\": 512, \"repetition_penalty\": 1.03}";
    public static final String JSON = "{\"inputs\": \"" + INPUTS + "\", \"parameters\": " + PARAMETERS + "}";

    private SamplePayload() {}

    public static String curl(String invokeUrl) {
        return curl(invokeUrl, null);
    }

    /** With an {@code X-Api-Key} header when apiKey is not null (the local gateway's keys). */
    public static String curl(String invokeUrl, String apiKey) {
        String key = apiKey == null ? "" : " -H 'X-Api-Key: " + apiKey + "'";
        return "curl -s -X POST '" + invokeUrl + "' -H 'Content-Type: application/json'" + key + " -d '" + JSON + "'";
    }
}
