package ai.peregrine.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What both GGUF tokenizers share: special-token splitting, BOS/EOS rules, decoding. */
abstract class AbstractTokenizer implements Tokenizer {
    protected final Vocabulary vocab;
    private final SpecialTokenSplitter splitter;
    private final byte[][] pieces;

    AbstractTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.pieces = new byte[vocab.size()][];
    }

    /** The bytes a normal (non-special, non-byte) token stands for. */
    protected abstract byte[] normalTokenBytes(String token);

    /** Encodes one raw-text fragment; {@code afterSpecial}: it starts the text or follows a special token. */
    protected abstract void encodeText(String text, boolean afterSpecial, IntList out);

    /** Whether decoding drops one leading space of the first text token (SentencePiece's space prefix). */
    protected boolean stripsLeadingSpace() {
        return false;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && vocab.addBos() && vocab.bos() >= 0) out.add(vocab.bos());
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment f : splitter.split(text, parseSpecial)) {
            if (f.isToken()) {
                out.add(f.token());
                afterSpecial = true;
            } else {
                encodeText(f.text(), afterSpecial, out);
                afterSpecial = false;
            }
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
        PieceWriter writer = new PieceWriter(skipSpecial);
        for (int id : ids) writer.write(id, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public StreamingDecoder newStreamingDecoder(boolean skipSpecial) {
        PieceWriter writer = new PieceWriter(skipSpecial);
        return new Utf8StreamingDecoder((id, out) -> writer.write(id, out));
    }

    /** Appends token bytes, handling skipped specials and the leading-space strip of the first text token. */
    private final class PieceWriter {
        private final boolean skipSpecial;
        private boolean first = true;

        PieceWriter(boolean skipSpecial) {
            this.skipSpecial = skipSpecial;
        }

        void write(int id, ByteArrayOutputStream out) {
            if (id < 0 || id >= vocab.size()) throw new IllegalArgumentException("token id " + id + " out of range [0, " + vocab.size() + ")");
            boolean special = isSpecial(id);
            if (special && skipSpecial) return;
            byte[] b = tokenBytes(id);
            if (id == vocab.bos()) { // the space strip still applies to the token after BOS
                out.write(b, 0, b.length);
                return;
            }
            int skip = first && stripsLeadingSpace() && !special && b.length > 0 && b[0] == ' ' ? 1 : 0;
            first = false;
            out.write(b, skip, b.length - skip);
        }
    }

}
