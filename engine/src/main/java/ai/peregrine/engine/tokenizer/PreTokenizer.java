package ai.peregrine.engine.tokenizer;

import ai.peregrine.engine.gguf.GgufFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits text into the pieces byte-level BPE merges within, following llama.cpp's pre-tokenizers for
 * {@code tokenizer.ggml.pre}. llama.cpp runs each regex of a pre-tokenizer over the pieces of the previous one, keeping
 * unmatched gaps as pieces too; the gpt2/llama3/qwen2 regexes are hand-coded there (with its own whitespace set and
 * "\s+(?!\S)" behaviour) and so are they here, rather than left to java.util.regex.
 * <p>Hugging Face's Falcon pre-tokenizer differs: its Digits and three-digit Split steps come after the ByteLevel step,
 * so they see byte-mapped text ({@link #splitMapped}): a space before a number is split off, and so are the bytes
 * that map to numeric characters (0xB2 '²', 0xB3 '³', 0xB9 '¹', 0xBC-0xBE '¼½¾'), which are UTF-8 continuation bytes.
 */
final class PreTokenizer {
    enum Kind { GPT2, FALCON, LLAMA3, QWEN2 }

    private final Kind kind;
    private final boolean huggingFace;

    PreTokenizer(Kind kind) {
        this(kind, false);
    }

    PreTokenizer(Kind kind, boolean huggingFace) {
        this.kind = kind;
        this.huggingFace = huggingFace;
    }

    static Kind kindFor(String pre) {
        return switch (pre == null || pre.isEmpty() ? "default" : pre) {
            case "default", "gpt-2", "phi-2", "mpt", "olmo" -> Kind.GPT2;
            case "falcon" -> Kind.FALCON;
            // only names for which llama.cpp also sets ignore_merges and add_bos, as LLAMA3 implies here
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral" -> Kind.LLAMA3;
            case "qwen2", "deepseek-r1-qwen", "stablelm2" -> Kind.QWEN2;
            default -> throw new GgufFormatException("unsupported tokenizer.ggml.pre '" + pre + "'");
        };
    }

    List<String> split(String text) {
        int[] cps = text.codePoints().toArray();
        Lengths pieces = new Lengths();
        pieces.add(cps.length);
        switch (kind) {
            case GPT2 -> pieces = gpt2(cps, pieces);
            case FALCON -> {
                pieces = gpt2(cps, punctuationRuns(cps, pieces));
                if (!huggingFace) pieces = digitTriples(cps, pieces);
            }
            case LLAMA3 -> pieces = llama3(cps, pieces, 3);
            case QWEN2 -> pieces = llama3(cps, pieces, 1);
        }
        List<String> out = new ArrayList<>(pieces.size);
        int start = 0;
        for (int i = 0; i < pieces.size; i++) {
            out.add(new String(cps, start, pieces.values[i]));
            start += pieces.values[i];
        }
        return out;
    }

    /** Whether {@link #splitMapped} may split a byte-mapped piece further. */
    boolean splitsMapped() {
        return huggingFace && kind == Kind.FALCON;
    }

    /** Hugging Face Falcon's Digits (numeric runs isolated) and {@code [0-9][0-9][0-9]} steps on a byte-mapped piece. */
    List<String> splitMapped(String mapped) {
        if (!splitsMapped()) return List.of(mapped);
        int[] cps = mapped.codePoints().toArray();
        Lengths runs = new Lengths();
        for (int i = 0; i < cps.length; ) {
            boolean numeric = CodepointClass.isNumber(cps[i]);
            int j = i + 1;
            while (j < cps.length && CodepointClass.isNumber(cps[j]) == numeric) j++;
            runs.add(j - i);
            i = j;
        }
        Lengths pieces = digitTriples(cps, runs);
        List<String> out = new ArrayList<>(pieces.size);
        int start = 0;
        for (int i = 0; i < pieces.size; i++) {
            out.add(new String(cps, start, pieces.values[i]));
            start += pieces.values[i];
        }
        return out;
    }

    /** Growable list of piece lengths in codepoints; zero lengths are dropped. */
    private static final class Lengths {
        int[] values = new int[16];
        int size;

        void add(int length) {
            if (length <= 0) return;
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = length;
        }
    }

    /** Falcon's first regex {@code [\p{P}\$\+<=>\^~\|`]+}: runs of ASCII punctuation/symbols and Unicode punctuation. */
    private static Lengths punctuationRuns(int[] cps, Lengths in) {
        Lengths out = new Lengths();
        int start = 0;
        for (int p = 0; p < in.size; p++) {
            int end = start + in.values[p];
            int gap = start;
            for (int i = start; i < end; ) {
                if (!isFalconPunct(cps[i])) { i++; continue; }
                int j = i;
                while (j < end && isFalconPunct(cps[j])) j++;
                out.add(i - gap);
                out.add(j - i);
                gap = i = j;
            }
            out.add(end - gap);
            start = end;
        }
        return out;
    }

    private static boolean isFalconPunct(int cp) {
        if (cp < 128) return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
        return !CodepointClass.isWhitespace(cp) && CodepointClass.isPunctuation(cp);
    }

    /** Falcon's last regex {@code [0-9][0-9][0-9]}: ASCII digit triples, left to right. */
    private static Lengths digitTriples(int[] cps, Lengths in) {
        Lengths out = new Lengths();
        int start = 0;
        for (int p = 0; p < in.size; p++) {
            int end = start + in.values[p];
            int gap = start;
            for (int i = start; i + 3 <= end; ) {
                if (isAsciiDigit(cps[i]) && isAsciiDigit(cps[i + 1]) && isAsciiDigit(cps[i + 2])) {
                    out.add(i - gap);
                    out.add(3);
                    gap = i = i + 3;
                } else {
                    i++;
                }
            }
            out.add(end - gap);
            start = end;
        }
        return out;
    }

    private static boolean isAsciiDigit(int cp) {
        return cp >= '0' && cp <= '9';
    }

    /** Codepoint classes within one piece; positions outside it are "nothing" (all false). */
    private record Window(int[] cps, int from, int to) {
        boolean in(int i) { return i >= from && i < to; }
        int cp(int i) { return in(i) ? cps[i] : -1; }
        boolean letter(int i) { return in(i) && CodepointClass.isLetter(cps[i]); }
        boolean number(int i) { return in(i) && CodepointClass.isNumber(cps[i]); }
        boolean space(int i) { return in(i) && CodepointClass.isWhitespace(cps[i]); }
        boolean other(int i) { return in(i) && !space(i) && !letter(i) && !number(i); }
    }

    /** 's|'t|'re|'ve|'m|'ll|'d, optionally case-insensitive; returns the contraction length or 0. */
    private static int contraction(Window w, int i, boolean ignoreCase) {
        if (w.cp(i) != '\'' || !w.in(i + 1)) return 0;
        int a = lower(w.cp(i + 1), ignoreCase);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
        if (!w.in(i + 2)) return 0;
        int b = lower(w.cp(i + 2), ignoreCase);
        return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
    }

    private static int lower(int cp, boolean ignoreCase) {
        return ignoreCase ? Character.toLowerCase(cp) : cp;
    }

    /** GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    private static Lengths gpt2(int[] cps, Lengths in) {
        Lengths out = new Lengths();
        int start = 0;
        for (int p = 0; p < in.size; p++) {
            int end = start + in.values[p];
            Window w = new Window(cps, start, end);
            for (int i = start; i < end; ) {
                int c = contraction(w, i, false);
                if (c > 0) { out.add(c); i += c; continue; }
                int j = w.cp(i) == ' ' ? i + 1 : i;
                if (w.letter(j)) { while (w.letter(j)) j++; out.add(j - i); i = j; continue; }
                if (w.number(j)) { while (w.number(j)) j++; out.add(j - i); i = j; continue; }
                if (w.other(j)) { while (w.other(j)) j++; out.add(j - i); i = j; continue; }
                i = whitespace(w, i, out, false);
            }
            start = end;
        }
        return out;
    }

    /**
     * Llama-3 ({@code maxDigits} 3) and Qwen2 ({@code maxDigits} 1):
     * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}.
     */
    private static Lengths llama3(int[] cps, Lengths in, int maxDigits) {
        Lengths out = new Lengths();
        int start = 0;
        for (int p = 0; p < in.size; p++) {
            int end = start + in.values[p];
            Window w = new Window(cps, start, end);
            for (int i = start; i < end; ) {
                int cp = cps[i];
                int c = contraction(w, i, true);
                if (c > 0) { out.add(c); i += c; continue; }
                if (cp != '\r' && cp != '\n' && !w.number(i) && (w.letter(i) || w.letter(i + 1))) {
                    int j = i + 1;
                    while (w.letter(j)) j++;
                    out.add(j - i); i = j; continue;
                }
                if (w.number(i)) {
                    int j = i;
                    while (w.number(j) && j - i < maxDigits) j++;
                    out.add(j - i); i = j; continue;
                }
                int j = cp == ' ' ? i + 1 : i;
                if (w.other(j)) {
                    while (w.other(j)) j++;
                    while (w.cp(j) == '\r' || w.cp(j) == '\n') j++;
                    out.add(j - i); i = j; continue;
                }
                i = whitespace(w, i, out, true);
            }
            start = end;
        }
        return out;
    }

    /** The whitespace alternatives; with {@code newlines}, {@code \s*[\r\n]+} first. Returns the next position. */
    private static int whitespace(Window w, int i, Lengths out, boolean newlines) {
        int n = 0;
        int lastNewlineEnd = -1;
        while (w.space(i + n)) {
            if (newlines && (w.cp(i + n) == '\r' || w.cp(i + n) == '\n')) lastNewlineEnd = i + n + 1;
            n++;
        }
        if (lastNewlineEnd > 0) { out.add(lastNewlineEnd - i); return lastNewlineEnd; }
        // \s+(?!\S): a run followed by a non-space leaves its last space to prefix the next word
        if (n > 1 && w.in(i + n)) { out.add(n - 1); return i + n - 1; }
        if (n > 0) { out.add(n); return i + n; }
        out.add(1);
        return i + 1;
    }
}
