package ai.peregrine.engine.tokenizer;

/**
 * UTF-8 to text with each maximal ill-formed subpart replaced by one U+FFFD (Unicode's recommended practice, which
 * Rust's {@code String::from_utf8_lossy}, and so Hugging Face's decoders, follow). Java's own decoder differs: it
 * takes e.g. {@code ED B1} as one malformed sequence where the practice sees two.
 */
final class Utf8Lossy {
    private Utf8Lossy() {}

    static String decode(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int length, low = 0x80, high = 0xBF; // the allowed range of the second byte
            if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
            else if (b0 == 0xE0) { length = 3; low = 0xA0; }
            else if (b0 >= 0xE1 && b0 <= 0xEF) { length = 3; if (b0 == 0xED) high = 0x9F; }
            else if (b0 == 0xF0) { length = 4; low = 0x90; }
            else if (b0 >= 0xF1 && b0 <= 0xF3) length = 4;
            else if (b0 == 0xF4) { length = 4; high = 0x8F; }
            else length = 0;
            int cp = length == 2 ? b0 & 0x1F : length == 3 ? b0 & 0x0F : b0 & 0x07;
            int j = i + 1;
            while (length > 0 && j < i + length && j < to) {
                int c = b[j] & 0xFF;
                boolean ok = j == i + 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xBF;
                if (!ok) break;
                cp = cp << 6 | (c & 0x3F);
                j++;
            }
            if (length > 0 && j == i + length) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\uFFFD');
            }
            i = j;
        }
        return sb.toString();
    }
}
