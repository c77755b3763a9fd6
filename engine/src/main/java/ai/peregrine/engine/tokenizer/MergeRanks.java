package ai.peregrine.engine.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * BPE merges by rank, as both llama.cpp's byte-level BPE and Hugging Face's BPE model apply them: start from the
 * codepoints of a word and repeatedly merge the adjacent pair of lowest rank (leftmost on ties).
 */
final class MergeRanks {
    private final Map<String, Integer> ranks;

    /** {@code merges}: "left right", lowest rank first; a repeated pair keeps its first rank. */
    MergeRanks(String[] merges) {
        ranks = HashMap.newHashMap(merges.length);
        for (int rank = 0; rank < merges.length; rank++) ranks.putIfAbsent(merges[rank], rank);
    }

    private record Pair(int left, int right, int rank, String text) {}

    /** The symbols {@code word} merges into, in order. */
    String[] merge(String word) {
        int[] cps = word.codePoints().toArray();
        int n = cps.length;
        String[] sym = new String[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = new String(cps, i, 1);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(queue, sym, i - 1, i);
        int left = n;
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            String l = sym[p.left], r = sym[p.right];
            if (l == null || r == null || next[p.left] != p.right || !p.text.equals(l + r)) continue; // stale
            sym[p.left] = p.text;
            sym[p.right] = null;
            left--;
            next[p.left] = next[p.right];
            if (next[p.right] >= 0) prev[next[p.right]] = p.left;
            if (prev[p.left] >= 0) offer(queue, sym, prev[p.left], p.left);
            if (next[p.left] >= 0) offer(queue, sym, p.left, next[p.left]);
        }
        String[] out = new String[left];
        int k = 0;
        for (int i = n == 0 ? -1 : 0; i >= 0; i = next[i]) out[k++] = sym[i];
        return out;
    }

    private void offer(PriorityQueue<Pair> queue, String[] sym, int left, int right) {
        Integer rank = ranks.get(sym[left] + " " + sym[right]);
        if (rank != null) queue.add(new Pair(left, right, rank, sym[left] + sym[right]));
    }
}
