package ai.peregrine.server.tgi;

import ai.peregrine.server.http.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;

/** TGI's {@code GenerateRequest} / {@code CompatGenerateRequest}: {@code inputs}, {@code parameters}, {@code stream}. */
public record GenerateRequestBody(String inputs, GenerateParameters parameters, boolean stream) {

    public static GenerateRequestBody parse(JsonNode body) {
        String inputs = JsonFields.requiredString(body, "inputs", "");
        GenerateParameters parameters = GenerateParameters.parse(body.get("parameters"));
        boolean stream = JsonFields.bool(body, "stream", "", false);
        return new GenerateRequestBody(inputs, parameters, stream);
    }
}
