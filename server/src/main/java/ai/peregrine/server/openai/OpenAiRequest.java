package ai.peregrine.server.openai;

import ai.peregrine.server.http.ApiError;
import ai.peregrine.server.http.JsonFields;
import ai.peregrine.server.tgi.GenerateParameters;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI completion or chat body mapped to TGI parameters the way TGI maps them: {@code temperature: 0}
 * means greedy, any other value (or none) means sampling; {@code max_tokens} bounds the generation.
 */
public record OpenAiRequest(List<String> prompts, List<ChatMessage> messages, GenerateParameters parameters,
                            boolean stream, boolean includeUsageInStream, String model) {

    public static boolean looksLikeChat(JsonNode body) {
        return body.has("messages");
    }

    public static boolean looksLikeCompletion(JsonNode body) {
        return body.has("prompt");
    }

    public static OpenAiRequest parseCompletion(JsonNode body, int maxClientBatchSize) {
        JsonNode prompt = body.get("prompt");
        if (prompt == null) throw ApiError.deserialization("missing field `prompt`");
        List<String> prompts = new ArrayList<>();
        if (prompt.isTextual()) prompts.add(prompt.asText());
        else if (prompt.isArray()) {
            for (JsonNode p : prompt) {
                if (!p.isTextual()) throw ApiError.deserialization("prompt: invalid type: " + JsonFields.describe(p) + ", expected a string");
                prompts.add(p.asText());
            }
        } else throw ApiError.deserialization("prompt: invalid type: " + JsonFields.describe(prompt) + ", expected a string or a sequence");
        if (JsonFields.optString(body, "suffix", "") != null) {
            throw new ApiError(422, "Suffix is not supported and can be achieved by preprocessing the prompt.",
                    "suffix not supported", "validation");
        }
        if (prompts.size() > maxClientBatchSize) {
            throw new ApiError(422, "Number of prompts exceeds the maximum allowed batch size of " + maxClientBatchSize,
                    "batch size exceeded", "validation");
        }
        Long maxTokens = JsonFields.optU32(body, "max_tokens", "");
        return new OpenAiRequest(prompts, null, parameters(body, maxTokens == null ? 100L : maxTokens),
                JsonFields.bool(body, "stream", "", false), includeUsage(body), JsonFields.optString(body, "model", ""));
    }

    public static OpenAiRequest parseChat(JsonNode body) {
        JsonNode msgs = body.get("messages");
        if (msgs == null) throw ApiError.deserialization("missing field `messages`");
        if (!msgs.isArray()) throw ApiError.deserialization("messages: invalid type: " + JsonFields.describe(msgs) + ", expected a sequence");
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : msgs) {
            if (!m.isObject()) throw ApiError.deserialization("messages: invalid type: " + JsonFields.describe(m) + ", expected a message");
            messages.add(new ChatMessage(JsonFields.requiredString(m, "role", "messages."), content(m.get("content"))));
        }
        Long maxTokens = JsonFields.optU32(body, "max_completion_tokens", "");
        if (maxTokens == null) maxTokens = JsonFields.optU32(body, "max_tokens", "");
        return new OpenAiRequest(null, messages, parameters(body, maxTokens), JsonFields.bool(body, "stream", "", false),
                includeUsage(body), JsonFields.optString(body, "model", ""));
    }

    /** Text content, or the text parts of a content array. */
    private static String content(JsonNode c) {
        if (c == null || c.isNull()) return "";
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (part.isObject() && "text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    sb.append(part.get("text").asText());
                }
            }
            return sb.toString();
        }
        throw ApiError.deserialization("messages.content: invalid type: " + JsonFields.describe(c) + ", expected a string or a sequence");
    }

    private static boolean includeUsage(JsonNode body) {
        JsonNode o = JsonFields.optObject(body, "stream_options", "");
        return o != null && JsonFields.bool(o, "include_usage", "stream_options.", false);
    }

    private static GenerateParameters parameters(JsonNode body, Long maxTokens) {
        Float temperature = JsonFields.optFloat(body, "temperature", "");
        boolean doSample = true;
        if (temperature != null && temperature == 0f) {
            doSample = false;
            temperature = null;
        }
        return new GenerateParameters(null, temperature, JsonFields.optFloat(body, "repetition_penalty", ""),
                JsonFields.optFloat(body, "frequency_penalty", ""), null, JsonFields.optFloat(body, "top_p", ""), null,
                doSample, maxTokens, false, JsonFields.optStrings(body, "stop", "", true), null, false, true, false,
                JsonFields.optU64(body, "seed", ""), null, null, null);
    }
}
