package ai.peregrine.engine.generate;

/** Receives each generated token as it is chosen; {@code textDelta} is what it adds to generated_text. */
@FunctionalInterface
public interface GenerationListener {
    GenerationListener NONE = (token, textDelta) -> {};

    void onToken(TokenInfo token, String textDelta);
}
