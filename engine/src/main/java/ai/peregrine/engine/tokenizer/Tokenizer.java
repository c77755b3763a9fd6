package ai.peregrine.engine.tokenizer;

/**
 * Text to token ids and back. Implementations: byte-level BPE (GGUF {@code tokenizer.ggml.model = gpt2})
 * and SentencePiece-style BPE ({@code llama}). Built from GGUF metadata by {@link Tokenizers#fromGguf}.
 */
public interface Tokenizer {
    int vocabSize();

    /**
     * Encodes text. {@code addSpecial}: add BOS (and EOS) as the model's {@code add_bos_token}/{@code add_eos_token}
     * rules say. {@code parseSpecial}: text like {@code <|endoftext|>} becomes the special token instead of plain text.
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The raw bytes a token stands for (byte tokens give their byte; specials give their text). */
    byte[] tokenBytes(int id);

    /** The token's vocabulary string as stored (e.g. "Ġthe"). */
    String tokenString(int id);

    /** Decodes a sequence of ids to text; special tokens are skipped when {@code skipSpecial}. */
    String decode(int[] ids, boolean skipSpecial);

    /** Control tokens (BOS, EOS, ...), and tokens of type CONTROL in the vocabulary. */
    boolean isSpecial(int id);

    /** -1 when the model has none. */
    int bosId();

    int eosId();

    /** Ids that end generation (EOS, EOT, ...). */
    boolean isEndOfGeneration(int id);

    /** A fresh incremental decoder for a token stream; it holds back incomplete UTF-8 sequences. */
    StreamingDecoder newStreamingDecoder(boolean skipSpecial);

    interface StreamingDecoder {
        /** Feeds one token; returns the text that became complete (possibly empty). */
        String push(int id);

        /** Any bytes still held back, decoded with replacement characters. */
        String flush();
    }
}
