package ai.peregrine.engine.synthetic;

import ai.peregrine.engine.tokenizer.ByteUnicode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small deterministic BPE trainer for synthetic vocabularies. Byte-level mode (GGUF {@code gpt2}) learns merges over
 * GPT-2 byte-mapped text; SentencePiece mode (GGUF {@code llama}) learns over characters with spaces as U+2581.
 * Training is plain greedy BPE: count adjacent pairs over word frequencies, merge the most frequent (ties: the
 * lexicographically smallest pair), repeat. Not fast, and it need not be: corpora here are a few kilobytes.
 */
public final class BpeVocabulary {
    /** A learned vocabulary: {@code base} symbols, then one token per merge (in merge order, duplicates dropped). */
    public record Learned(List<String> base, List<String> merges, List<String> mergedTokens) {}

    /** Mixed English, code, digits, accents, CJK and emoji: enough structure for a few hundred merges. */
    public static final String DEFAULT_CORPUS = """
            The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away into the forest.
            It's a truth universally acknowledged that they'll say we've seen what you'd do, and I'm sure they're right.
            In 2024 the population was 1234567, up from 987654 in 1999 and 100000 in 1950. Call 555-0199 at 10:30.
            def tokenize(text): return [token for token in text.split() if token]  # simple, isn't it?
            for (int i = 0; i < n; i++) { sum += values[i] * weights[i]; }
            Café, naïve, résumé, façade, jalapeño, Ærøskøbing, Straße, über, déjà vu.
            東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다。
            Emoji: 😀 🚀 👍🏽 ❤️ and symbols € £ ¥ © ® ™ — “quoted” ‘text’ … ¿Qué? ¡Sí!
            Whitespace    runs,	tabs	and
            newlines

            matter   too. The end of the text is here, and the end of the story is near.
            """;

    private BpeVocabulary() {}

    public static Learned trainByteLevel(String corpus, int merges) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+").matcher(corpus);
        while (m.find()) words.add(ByteUnicode.encode(m.group().getBytes(StandardCharsets.UTF_8)));
        List<String> base = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) base.add(ByteUnicode.encode(new byte[] {(byte) b}));
        return train(words, base, merges);
    }

    public static Learned trainSentencePiece(String corpus, int merges) {
        List<String> words = new ArrayList<>();
        for (String w : (" " + corpus.replace("\n", " ")).split("(?= )")) if (!w.isEmpty()) words.add(w.replace(" ", "\u2581"));
        LinkedHashSet<String> chars = new LinkedHashSet<>();
        words.forEach(w -> w.codePoints().forEach(cp -> chars.add(Character.toString(cp))));
        return train(words, new ArrayList<>(chars), merges);
    }

    private static Learned train(List<String> wordList, List<String> base, int merges) {
        Map<String, Integer> freq = new TreeMap<>();
        for (String w : wordList) freq.merge(w, 1, Integer::sum);
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        freq.forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
            words.add(symbols);
            counts.add(c);
        });
        List<String> mergeList = new ArrayList<>();
        LinkedHashSet<String> tokens = new LinkedHashSet<>(base);
        List<String> mergedTokens = new ArrayList<>();
        for (int step = 0; step < merges; step++) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) pairs.merge(s.get(i) + " " + s.get(i + 1), counts.get(w), Integer::sum);
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) break;
            int space = best.indexOf(' ');
            String left = best.substring(0, space), right = best.substring(space + 1);
            mergeList.add(best);
            if (tokens.add(left + right)) mergedTokens.add(left + right);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(left) && s.get(i + 1).equals(right)) {
                        s.set(i, left + right);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return new Learned(List.copyOf(base), List.copyOf(mergeList), List.copyOf(mergedTokens));
    }
}
