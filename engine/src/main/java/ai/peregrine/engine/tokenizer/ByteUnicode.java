package ai.peregrine.engine.tokenizer;

import java.io.ByteArrayOutputStream;

/** GPT-2's bytes_to_unicode: every byte gets a printable codepoint, so byte-level BPE vocabularies are valid text. */
public final class ByteUnicode {
    private static final int[] BYTE_TO_CP = new int[256];
    private static final int[] CP_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CP_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int cp = printable ? b : next++;
            BYTE_TO_CP[b] = cp;
            CP_TO_BYTE[cp] = b;
        }
    }

    private ByteUnicode() {}

    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) sb.appendCodePoint(BYTE_TO_CP[b & 0xFF]);
        return sb.toString();
    }

    /** The bytes a byte-level string stands for, or null when it holds a codepoint outside the mapping. */
    public static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int b = cp < CP_TO_BYTE.length ? CP_TO_BYTE[cp] : -1;
            if (b < 0) return null;
            out.write(b);
        }
        return out.toByteArray();
    }
}
