package ai.peregrine.server.openai;

import ai.peregrine.engine.tokenizer.Tokenizer;
import ai.peregrine.server.http.ApiError;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns chat messages into the prompt text: the model's Jinja template (GGUF {@code tokenizer.chat_template})
 * rendered with Jinjava, as TGI renders {@code tokenizer_config.json}'s; or, for a model without one,
 * Falcon-Instruct's format ("SYSTEM\n\nUser: ...\n\nAssistant: ...\n\nAssistant:").
 */
public abstract class ChatTemplate {
    public abstract String render(List<ChatMessage> messages);

    public static ChatTemplate forModel(Optional<String> jinja, Tokenizer tokenizer) {
        return jinja.<ChatTemplate>map(t -> new JinjaTemplate(t, tokenizer)).orElseGet(FalconInstruct::new);
    }

    /** Falcon-7B-Instruct's conversation format (content trimmed, blank lines folded), ending in an open assistant turn. */
    static final class FalconInstruct extends ChatTemplate {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder sb = new StringBuilder();
            for (ChatMessage m : messages) {
                String content = m.content().strip().replace("\r\n", "\n").replace("\n\n", "\n");
                switch (m.role()) {
                    case "system" -> sb.append(content);
                    case "assistant" -> sb.append("\n\nAssistant: ").append(content);
                    default -> sb.append("\n\nUser: ").append(content);
                }
            }
            sb.append("\n\nAssistant:");
            // Without a system message there is nothing before the first turn to separate it from.
            return sb.toString().replaceFirst("^\n\n", "");
        }
    }

    static final class JinjaTemplate extends ChatTemplate {
        private final Jinjava jinjava = new Jinjava();
        private final String template;
        private final String bos;
        private final String eos;

        JinjaTemplate(String template, Tokenizer tokenizer) {
            this.template = template;
            this.bos = tokenizer.bosId() >= 0 ? tokenizer.tokenString(tokenizer.bosId()) : "";
            this.eos = tokenizer.eosId() >= 0 ? tokenizer.tokenString(tokenizer.eosId()) : "";
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                    JinjaTemplate.class, "raiseException", String.class));
        }

        /** HF templates call raise_exception('...') to reject a conversation. */
        public static String raiseException(String message) {
            throw new TemplateRejection(message);
        }

        @Override
        public String render(List<ChatMessage> messages) {
            Map<String, Object> bindings = new HashMap<>();
            bindings.put("messages", messages.stream().map(m -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("role", m.role());
                o.put("content", m.content());
                return o;
            }).toList());
            bindings.put("add_generation_prompt", true);
            bindings.put("bos_token", bos);
            bindings.put("eos_token", eos);
            RenderResult result;
            try {
                result = jinjava.renderForResult(template, bindings);
            } catch (TemplateRejection e) {
                throw templateError(e.getMessage());
            }
            for (TemplateError e : result.getErrors()) {
                if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                    Throwable cause = e.getException();
                    while (cause != null && !(cause instanceof TemplateRejection)) cause = cause.getCause();
                    throw templateError(cause != null ? cause.getMessage() : e.getMessage());
                }
            }
            return result.getOutput();
        }

        private static ApiError templateError(String message) {
            return new ApiError(422, "Template error: " + message, "template_error", "template_error");
        }
    }

    private static final class TemplateRejection extends RuntimeException {
        TemplateRejection(String message) {
            super(message, null, false, false);
        }
    }
}
