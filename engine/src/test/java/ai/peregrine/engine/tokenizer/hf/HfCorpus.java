package ai.peregrine.engine.tokenizer.hf;

import ai.peregrine.engine.tokenizer.GoldenCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The golden corpus plus strings aimed at what Hugging Face's pipelines do differently, and more fuzz. */
public final class HfCorpus {
    public static final List<String> EXTRA = List.of(
            "<|begin_of_text|>Hi<|eot_id|>", "<|start_header_id|>user<|end_header_id|>\n\nHello there!<|eot_id|>",
            "<|reserved_special_token_0|><|begin_of_text|><|begin_of_text|>", "<|im_start|>system\nYou are helpful.<|im_end|>\n",
            ">>TITLE<<Falcon>>ABSTRACT<< text >>QUESTION<<Why?>>ANSWER<<", "<tool><tool>x<tool> y", "<s><s>", "</s> after", "<unk>x",
            "a 1 b 12 c 123 d 1234 e 12345 f 123456 g 1234567", "x1y22z333w4444", " 7", "  42  ", "1,234,567.89 and 3.14159",
            "²³¹¼½¾ ò ù ŝ Ų", "⁴⁵ ₆₇ ① ② Ⅷ ↉", "'ſ 'S 'ſt 'Ll 'RE 'vE", "e\u0301 é A\u030a Å \u1e9b\u0323 \u212b \ufb01",
            "  leading two", "\u2581literal\u2581metaspace \u2581x", " \u2581y", "a\u00a0\u00a0b\u2003\u2003c", "\t\t\n \n\r\n\r\n",
            "👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 🇫🇷", "日本語のテキストと English words と 123 数字", "Ελληνικά κείμενα; русский текст!",
            "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away into the forest.",
            "It's a truth universally acknowledged that they'll say we've seen what you'd do, and I'm sure they're right.");

    /** Fuzz atoms beyond the golden corpus's: other families' specials, numeric bytes, U+2581, case-folding traps. */
    static final List<String> EXTRA_ATOMS = List.of("<|begin_of_text|>", "<|eot_id|>", "<|im_start|>", ">>TITLE<<", ">>", "<<",
            "\u2581", "²", "¼", "ò", "ſ", "'ſ", "İ", "K", "123", "4567", " 1", "e\u0301", "A\u030a", "\u0301", "\ufb01", "<", "|", ">");

    public static List<String> all() {
        List<String> all = new ArrayList<>(GoldenCorpus.all());
        all.addAll(EXTRA);
        all.addAll(fuzz(20250307L, 500));
        return all;
    }

    /** A smaller set for committed llama.cpp goldens: the hand-written strings of both corpora and some fuzz. */
    public static List<String> forGoldens() {
        List<String> all = new ArrayList<>(GoldenCorpus.STRINGS);
        all.addAll(EXTRA);
        all.addAll(fuzz(20250308L, 120));
        return all;
    }

    static List<String> fuzz(long seed, int count) {
        List<String> atoms = new ArrayList<>(List.of(GoldenCorpus.FUZZ_ATOMS));
        atoms.addAll(EXTRA_ATOMS);
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(14);
            for (int k = 0; k < n; k++) sb.append(atoms.get(r.nextInt(atoms.size())));
            out.add(sb.toString());
        }
        return out;
    }

    private HfCorpus() {}
}
