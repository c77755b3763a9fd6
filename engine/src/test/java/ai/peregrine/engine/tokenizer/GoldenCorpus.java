package ai.peregrine.engine.tokenizer;

import java.util.List;

/** Strings tokenized by both llama.cpp (goldens) and us. */
final class GoldenCorpus {
    static final List<String> STRINGS = List.of(
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

    private GoldenCorpus() {}
}
