package ai.peregrine.engine.generate;

import ai.peregrine.engine.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test double: id 0 = "<s>" (BOS), 1 = "</s>" (EOS), 2 = 0xC3 and 3 = 0xA9 (the two UTF-8 bytes of "é"),
 * then one token per character of {@link #CHARS}.
 */
final class ToyTokenizer implements Tokenizer {
    static final String CHARS = "abcdefghijklmnopqrstuvwxyz .!";
    static final int BOS = 0, EOS = 1, E_ACUTE_HI = 2, E_ACUTE_LO = 3, FIRST_CHAR = 4;
    static final int VOCAB = FIRST_CHAR + CHARS.length();

    static int id(char c) {
        return FIRST_CHAR + CHARS.indexOf(c);
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        var out = new java.util.ArrayList<Integer>();
        if (addSpecial) out.add(BOS);
        for (char c : text.toCharArray()) {
            if (c == 'é') {
                out.add(E_ACUTE_HI);
                out.add(E_ACUTE_LO);
            } else {
                out.add(id(c));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public byte[] tokenBytes(int id) {
        return switch (id) {
            case BOS -> "<s>".getBytes(StandardCharsets.UTF_8);
            case EOS -> "</s>".getBytes(StandardCharsets.UTF_8);
            case E_ACUTE_HI -> new byte[] {(byte) 0xC3};
            case E_ACUTE_LO -> new byte[] {(byte) 0xA9};
            default -> String.valueOf(CHARS.charAt(id - FIRST_CHAR)).getBytes(StandardCharsets.UTF_8);
        };
    }

    @Override
    public String tokenString(int id) {
        return new String(tokenBytes(id), StandardCharsets.ISO_8859_1);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) if (!(skipSpecial && isSpecial(id))) bytes.writeBytes(tokenBytes(id));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        return id == BOS || id == EOS;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id == EOS;
    }

    @Override
    public StreamingDecoder newStreamingDecoder(boolean skipSpecial) {
        return new StreamingDecoder() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public String push(int id) {
                if (skipSpecial && isSpecial(id)) return "";
                pending.writeBytes(tokenBytes(id));
                byte[] b = pending.toByteArray();
                if (b.length > 0 && (b[b.length - 1] & 0xE0) == 0xC0) return ""; // only a 2-byte lead so far
                pending.reset();
                return new String(b, StandardCharsets.UTF_8);
            }

            @Override
            public String flush() {
                String s = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                return s;
            }
        };
    }
}
