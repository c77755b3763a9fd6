package ai.peregrine.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Strings tokenized by both llama.cpp (goldens) and us; the Hugging Face parity tests use them too. */
public final class GoldenCorpus {
    public static final List<String> STRINGS = List.of(
            "", " ", "  ", "\n", "\n\n\n", "\t", " \t \n ", "Hello world", " Hello  world ", "hello   world\n",
            "The quick brown fox jumps over the lazy dog.",
            "It's they'll we've I'm you'd they're IT'S We'Ve",
            "1234567", "12 345 6789 0", "pi is 3.14159, e is 2.71828", "In 2024 the population was 1234567.",
            "x=1+2*3-4/5; y<=z>=w^v~u|t`s", "a$b%c&d@e#f!g?h", "((nested)) [brackets] {braces} \"quotes\" 'single'",
            "...---___!!!???", "def f(x):\n    return x**2\n\n\tif x: pass",
            "Café naïve résumé façade jalapeño Straße über déjà vu", "Ærøskøbing ÅÄÖ åäö",
            "東京は日本の首都です。", "北京是中国的首都", "서울은 한국의 수도입니다", "混合 mixed テキスト text",
            "Emoji: 😀 🚀 👍🏽 ❤️", "😀😀😀", "€100 £50 ¥1000 ©®™", "“quoted” ‘text’ … ¿Qué? ¡Sí! — dash",
            "¹²³ ½ ٣٤٥ ໒໓", "non\u00a0breaking\u2003em\u3000ideographic", "tab\there\r\nwindows\rmac",
            "<|endoftext|>", "Hello<|endoftext|>world", "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
            "<tool>call</tool>", "a<tool>b", "<s>Hello</s>", "<unk> <s> </s>", "<|endoftext|><|endoftext|>",
            "   leading spaces", "trailing spaces   ", "multiple\n\n\nnewlines\n\n", "  \n  \n  ",
            "The end of the text is here, and the end of the story is near.");

    /**
     * Seeded random strings over codepoints where tokenizers tend to disagree: every kind of whitespace llama.cpp knows
     * (and some it does not), contractions, ASCII and non-ASCII digits, combining marks, Unicode punctuation and
     * symbols, CJK, emoji with modifiers, and special-token texts.
     */
    public static final String[] FUZZ_ATOMS = {
            " ", " ", " ", "  ", "\n", "\r\n", "\t", "\u000b", "\u000c", "\u0085", "\u00a0", "\u1680", "\u2002", "\u200b",
            "\u2028", "\u202f", "\u3000", "\u180e", "\ufeff", "'s", "'S", "'re", "'LL", "'", "\"", "a", "the", "The", "fox",
            "x", "Q", "0", "7", "42", "1234", "٣", "²", "½", "Ⅻ", "é", "e\u0301", "\u0308", "ß", "ǅ", "ʰ", "Ω", "ж", "ש", "ع",
            "東", "京", "ひ", "カ", "한", ".", ",", "!", "?", "...", "-", "_", "$", "+", "<", ">", "=", "^", "`", "|", "~",
            "@", "#", "%", "&", "*", "(", ")", "[", "]", "{", "}", "/", "\\", ":", ";", "—", "…", "«", "»", "“", "”", "¿",
            "。", "、", "・", "‿", "€", "©", "°", "±", "→", "∑", "😀", "🚀", "👍🏽", "❤️", "🇯🇵", "\u0000", "\u0007",
            "<|endoftext|>", "<|im_end|>", "<s>", "</s>", "<tool>", "<unk>", "\uE000", "\uD83F\uDFFF"};

    public static List<String> fuzz(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(12);
            for (int k = 0; k < n; k++) sb.append(FUZZ_ATOMS[r.nextInt(FUZZ_ATOMS.length)]);
            out.add(sb.toString());
        }
        return out;
    }

    /** The hand-written strings, then 300 fuzz strings. */
    public static List<String> all() {
        List<String> all = new ArrayList<>(STRINGS);
        all.addAll(fuzz(20261128L, 300));
        return all;
    }

    private GoldenCorpus() {}
}
