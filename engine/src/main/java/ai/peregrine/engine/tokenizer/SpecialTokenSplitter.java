package ai.peregrine.engine.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * llama.cpp's tokenizer_st_partition: cuts the raw text at occurrences of special token texts, longest texts first,
 * each scanned left to right over the still-raw fragments. User-defined tokens are always cut out; control and
 * unknown tokens only when special tokens are parsed.
 */
final class SpecialTokenSplitter {
    /** A raw text fragment ({@code token} -1) or a special token. */
    record Fragment(String text, int token) {
        boolean isToken() {
            return token >= 0;
        }
    }

    private final Vocabulary vocab;
    private final int[] candidates;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            int t = vocab.type(id);
            if ((t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN) && !vocab.tokens()[id].isEmpty()) ids.add(id);
        }
        // llama.cpp sorts by byte length, longest first (its sort is not stable; we keep id order among equals)
        ids.sort(Comparator.comparingInt((Integer id) -> -utf8Length(vocab.tokens()[id])).thenComparingInt(id -> id));
        candidates = ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        fragments.add(new Fragment(text, -1));
        for (int id : candidates) {
            if (!parseSpecial && vocab.isControlLike(id)) continue;
            String special = vocab.tokens()[id];
            List<Fragment> next = new ArrayList<>(fragments.size() + 2);
            for (Fragment f : fragments) {
                if (f.isToken() || !f.text().contains(special)) { next.add(f); continue; }
                String raw = f.text();
                int from = 0;
                for (int at; (at = raw.indexOf(special, from)) >= 0; from = at + special.length()) {
                    if (at > from) next.add(new Fragment(raw.substring(from, at), -1));
                    next.add(new Fragment(special, id));
                }
                if (from < raw.length()) next.add(new Fragment(raw.substring(from), -1));
            }
            fragments = next;
        }
        return fragments;
    }
}
