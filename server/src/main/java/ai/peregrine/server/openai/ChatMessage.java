package ai.peregrine.server.openai;

/** One chat turn: role (system, user, assistant, ...) and its text content. */
public record ChatMessage(String role, String content) {}
