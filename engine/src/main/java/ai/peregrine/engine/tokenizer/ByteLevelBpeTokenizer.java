package ai.peregrine.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE (GGUF {@code tokenizer.ggml.model = gpt2}), as llama.cpp's llm_tokenizer_bpe: pre-tokenize, map each
 * piece's bytes to GPT-2's printable codepoints, then repeatedly merge the adjacent pair of lowest merge rank
 * (leftmost on ties).
 */
final class ByteLevelBpeTokenizer extends AbstractTokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final PreTokenizer preTokenizer;
    private final Map<String, Integer> mergeRanks;
    /** llama.cpp's ignore_merges (llama-bpe): a piece that is itself a token is not merged. */
    private final boolean ignoreMerges;
    private final Map<String, int[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > CACHE_LIMIT;
        }
    };

    ByteLevelBpeTokenizer(Vocabulary vocab, String[] merges, PreTokenizer preTokenizer) {
        super(vocab);
        this.preTokenizer = preTokenizer;
        this.ignoreMerges = preTokenizer.kind() == PreTokenizer.Kind.LLAMA3;
        this.mergeRanks = HashMap.newHashMap(merges.length);
        for (int rank = 0; rank < merges.length; rank++) mergeRanks.putIfAbsent(merges[rank], rank);
    }

    @Override
    protected byte[] normalTokenBytes(String token) {
        byte[] b = ByteUnicode.decode(token);
        return b != null ? b : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void encodeText(String text, boolean afterSpecial, IntList out) {
        for (String piece : preTokenizer.split(text)) {
            String mapped = ByteUnicode.encode(piece.getBytes(StandardCharsets.UTF_8));
            int[] ids;
            synchronized (cache) {
                ids = cache.get(mapped);
            }
            if (ids == null) {
                ids = encodePiece(mapped);
                synchronized (cache) {
                    cache.put(mapped, ids);
                }
            }
            out.addAll(ids);
        }
    }

    private record Pair(int left, int right, int rank, String text) {}

    private int[] encodePiece(String word) {
        IntList out = new IntList(8);
        if (ignoreMerges && vocab.id(word) >= 0) {
            out.add(vocab.id(word));
            return out.toArray();
        }
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
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            String l = sym[p.left], r = sym[p.right];
            if (l == null || r == null || next[p.left] != p.right || !p.text.equals(l + r)) continue; // stale
            sym[p.left] = p.text;
            sym[p.right] = null;
            next[p.left] = next[p.right];
            if (next[p.right] >= 0) prev[next[p.right]] = p.left;
            if (prev[p.left] >= 0) offer(queue, sym, prev[p.left], p.left);
            if (next[p.left] >= 0) offer(queue, sym, p.left, next[p.left]);
        }
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            int id = vocab.id(sym[i]);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // llama.cpp looks each byte of the mapped text up as a one-byte token; only ASCII ones can exist
            for (byte b : sym[i].getBytes(StandardCharsets.UTF_8)) {
                int single = b >= 0 ? vocab.id(String.valueOf((char) b)) : -1;
                if (single >= 0) out.add(single);
            }
        }
        return out.toArray();
    }

    private void offer(PriorityQueue<Pair> queue, String[] sym, int left, int right) {
        Integer rank = mergeRanks.get(sym[left] + " " + sym[right]);
        if (rank != null) queue.add(new Pair(left, right, rank, sym[left] + sym[right]));
    }
}
