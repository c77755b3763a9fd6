package ai.peregrine.engine.tokenizer;

import java.io.ByteArrayOutputStream;

/** Turns a token stream into text, holding back the bytes of a UTF-8 sequence until it is complete. */
final class Utf8StreamingDecoder implements Tokenizer.StreamingDecoder {
    interface PieceSink {
        void write(int id, ByteArrayOutputStream out);
    }

    private final PieceSink pieces;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Utf8StreamingDecoder(PieceSink pieces) {
        this.pieces = pieces;
    }

    @Override
    public String push(int id) {
        pieces.write(id, pending);
        byte[] b = pending.toByteArray();
        int complete = completePrefix(b);
        pending.reset();
        pending.write(b, complete, b.length - complete);
        return Utf8Lossy.decode(b, 0, complete);
    }

    @Override
    public String flush() {
        byte[] b = pending.toByteArray();
        String rest = Utf8Lossy.decode(b, 0, b.length);
        pending.reset();
        return rest;
    }

    /** Length of the prefix that does not end inside an unfinished (but so far valid-looking) UTF-8 sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // continuation byte: look further back for the lead
            int need = c >= 0xF0 && c <= 0xF7 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back && c >= 0xC0 && c <= 0xF7 ? n - back : n;
        }
        return n;
    }
}
