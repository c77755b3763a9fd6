package ai.peregrine.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts special token texts out of raw text. User-defined tokens are always cut out; control and unknown tokens only
 * when special tokens are parsed. llama.cpp's tokenizer_st_partition takes the longest texts first, each scanned left
 * to right over the still-raw fragments; Hugging Face's added vocabulary takes the leftmost match, the longest one
 * where several start at the same place.
 */
final class SpecialTokenSplitter {
    /** A raw text fragment ({@code token} -1) or a special token. */
    record Fragment(String text, int token) {
        boolean isToken() {
            return token >= 0;
        }
    }

    private final Vocabulary vocab;
    private final boolean leftmostLongest;
    /** Candidate ids, longest text first (llama.cpp sorts by byte length; its sort is not stable: we keep id order). */
    private final int[] candidates;
    /** Leftmost-longest: candidates by first char, longest first; all of them, and the user-defined ones only. */
    private final Map<Character, int[]> all, userDefined;

    SpecialTokenSplitter(Vocabulary vocab, boolean leftmostLongest) {
        this.vocab = vocab;
        this.leftmostLongest = leftmostLongest;
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            int t = vocab.type(id);
            if ((t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN) && !vocab.tokens()[id].isEmpty()) ids.add(id);
        }
        ids.sort(Comparator.comparingInt((Integer id) -> -utf8Length(vocab.tokens()[id])).thenComparingInt(id -> id));
        candidates = ids.stream().mapToInt(Integer::intValue).toArray();
        all = byFirstChar(false);
        userDefined = byFirstChar(true);
    }

    private Map<Character, int[]> byFirstChar(boolean userDefinedOnly) {
        Map<Character, List<Integer>> lists = new HashMap<>();
        for (int id : candidates) {
            if (userDefinedOnly && vocab.isControlLike(id)) continue;
            lists.computeIfAbsent(vocab.tokens()[id].charAt(0), c -> new ArrayList<>()).add(id);
        }
        Map<Character, int[]> out = HashMap.newHashMap(lists.size());
        lists.forEach((c, l) -> out.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        if (leftmostLongest) return leftmostLongest(text, parseSpecial ? all : userDefined, fragments);
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

    private List<Fragment> leftmostLongest(String text, Map<Character, int[]> byFirst, List<Fragment> out) {
        int from = 0;
        for (int i = 0; i < text.length(); ) {
            int match = -1;
            int[] ids = byFirst.get(text.charAt(i));
            if (ids != null) {
                for (int id : ids) {
                    if (text.startsWith(vocab.tokens()[id], i)) {
                        match = id;
                        break;
                    }
                }
            }
            if (match < 0) {
                i++;
                continue;
            }
            if (i > from) out.add(new Fragment(text.substring(from, i), -1));
            out.add(new Fragment(vocab.tokens()[match], match));
            i += vocab.tokens()[match].length();
            from = i;
        }
        if (from < text.length()) out.add(new Fragment(text.substring(from), -1));
        return out;
    }
}
