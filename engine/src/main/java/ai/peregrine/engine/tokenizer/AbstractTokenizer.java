package ai.peregrine.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** What both GGUF tokenizers share: special-token splitting, BOS/EOS rules, decoding. */
abstract class AbstractTokenizer implements Tokenizer {
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    protected final Vocabulary vocab;
    protected final Semantics semantics;
    private final SpecialTokenSplitter splitter;
    private final byte[][] pieces;

    AbstractTokenizer(Vocabulary vocab, Semantics semantics) {
        this.vocab = vocab;
        this.semantics = semantics;
        this.splitter = new SpecialTokenSplitter(vocab, semantics.huggingFace());
        this.pieces = new byte[vocab.size()][];
    }

    /** The bytes a normal (non-special, non-byte) token stands for. */
    protected abstract byte[] normalTokenBytes(String token);

    /**
     * Encodes one raw-text fragment; {@code afterSpecial}: it starts the text or follows a special token;
     * {@code startsText}: it starts the text.
     */
    protected abstract void encodeText(String text, boolean afterSpecial, boolean startsText, IntList out);

    /** Whether decoding drops one leading space of the first text token (SentencePiece's space prefix). */
    protected boolean stripsLeadingSpace() {
        return false;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && vocab.addBos() && vocab.bos() >= 0) out.add(vocab.bos());
        boolean afterSpecial = true, startsText = true;
        for (SpecialTokenSplitter.Fragment f : splitter.split(text, parseSpecial)) {
            if (f.isToken()) {
                out.add(f.token());
                afterSpecial = true;
            } else {
                encodeText(f.text(), afterSpecial, startsText, out);
                afterSpecial = false;
            }
            startsText = false;
        }
        if (addSpecial && vocab.addEos() && vocab.eos() >= 0) out.add(vocab.eos());
        return out.toArray();
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public String tokenString(int id) {
        return vocab.tokens()[id];
    }

    @Override
    public byte[] tokenBytes(int id) {
        byte[] b = pieces[id];
        if (b == null) {
            String token = vocab.tokens()[id];
            int type = vocab.type(id);
            if (type == TokenType.BYTE) b = new byte[] {(byte) parseByteToken(token)};
            else if (type == TokenType.NORMAL) b = normalTokenBytes(token);
            else if (type == TokenType.UNUSED) b = new byte[0]; // llama.cpp renders unused slots as nothing
            else if (semantics.huggingFace()) b = normalTokenBytes(token); // added tokens go through the decoder too
            else b = token.getBytes(StandardCharsets.UTF_8);
            pieces[id] = b;
        }
        return b;
    }

    static int parseByteToken(String token) {
        if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) return Integer.parseInt(token.substring(3, 5), 16);
        byte[] raw = ByteUnicode.decode(token);
        if (raw != null && raw.length == 1) return raw[0] & 0xFF;
        throw new IllegalArgumentException("not a byte token: " + token);
    }

    @Override
    public boolean isSpecial(int id) {
        if (semantics.huggingFace()) return vocab.isControlLike(id);
        return id == vocab.bos() || id == vocab.eos() || vocab.isControlLike(id);
    }

    @Override
    public int bosId() {
        return vocab.bos();
    }

    @Override
    public int eosId() {
        return vocab.eos();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && vocab.endOfGeneration().get(id);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PieceWriter writer = new PieceWriter(skipSpecial, semantics.huggingFace());
        for (int id : ids) writer.write(id, out);
        writer.finish(out);
        byte[] bytes = out.toByteArray();
        return Utf8Lossy.decode(bytes, 0, bytes.length);
    }

    @Override
    public StreamingDecoder newStreamingDecoder(boolean skipSpecial) {
        // a stream does not hold back runs of byte tokens: only an invalid run decodes differently (U+FFFD per sequence)
        PieceWriter writer = new PieceWriter(skipSpecial, false);
        return new Utf8StreamingDecoder((id, out) -> writer.write(id, out));
    }

    /** Appends token bytes, handling skipped specials, the leading-space strip, and (Hugging Face) byte-token runs. */
    private final class PieceWriter {
        private final boolean skipSpecial;
        /** Hugging Face's ByteFallback decoder: a run of byte tokens that is not valid UTF-8 gives one U+FFFD per token. */
        private final boolean holdByteRuns;
        private final ByteArrayOutputStream run = new ByteArrayOutputStream();
        private int runTokens;
        private boolean first = true;

        PieceWriter(boolean skipSpecial, boolean holdByteRuns) {
            this.skipSpecial = skipSpecial;
            this.holdByteRuns = holdByteRuns;
        }

        void write(int id, ByteArrayOutputStream out) {
            if (id < 0 || id >= vocab.size()) throw new IllegalArgumentException("token id " + id + " out of range [0, " + vocab.size() + ")");
            boolean special = isSpecial(id);
            if (special && skipSpecial) return;
            byte[] b = tokenBytes(id);
            if (semantics.huggingFace()) {
                if (holdByteRuns && vocab.type(id) == TokenType.BYTE) {
                    run.write(b, 0, b.length);
                    runTokens++;
                    return;
                }
                finish(out);
                writeStripped(b, out);
                return;
            }
            if (id == vocab.bos()) { // llama.cpp: the space strip still applies to the token after BOS
                out.write(b, 0, b.length);
                return;
            }
            int skip = first && stripsLeadingSpace() && !special && b.length > 0 && b[0] == ' ' ? 1 : 0;
            first = false;
            out.write(b, skip, b.length - skip);
        }

        /** Writes out a held run of byte tokens. */
        void finish(ByteArrayOutputStream out) {
            if (runTokens == 0) return;
            byte[] bytes = run.toByteArray();
            if (!isValidUtf8(bytes)) {
                ByteArrayOutputStream replaced = new ByteArrayOutputStream();
                for (int i = 0; i < runTokens; i++) replaced.write(REPLACEMENT, 0, REPLACEMENT.length);
                bytes = replaced.toByteArray();
            }
            run.reset();
            runTokens = 0;
            writeStripped(bytes, out);
        }

        /** Hugging Face: the strip applies to the start of the whole text, whatever token it comes from. */
        private void writeStripped(byte[] b, ByteArrayOutputStream out) {
            if (b.length == 0) return;
            int skip = first && stripsLeadingSpace() && b[0] == ' ' ? 1 : 0;
            first = false;
            out.write(b, skip, b.length - skip);
        }
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

}
