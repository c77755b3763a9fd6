package ai.peregrine.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE (GGUF {@code tokenizer.ggml.model = llama}), as llama.cpp's llm_tokenizer_spm: spaces become
 * U+2581, a space is prefixed to text that starts the input or follows a special token, and adjacent symbols are merged
 * while their concatenation is a token, best score first (leftmost on ties). Unknown characters become
 * {@code <0xXX>} byte tokens.
 */
final class SentencePieceBpeTokenizer extends AbstractTokenizer {
    static final String SPACE = "\u2581";

    private final boolean addSpacePrefix;
    private final int[] byteTokens = new int[256];

    SentencePieceBpeTokenizer(Vocabulary vocab, boolean addSpacePrefix) {
        super(vocab);
        this.addSpacePrefix = addSpacePrefix;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id < 0) id = vocab.id(new String(new byte[] {(byte) b}, StandardCharsets.ISO_8859_1));
            byteTokens[b] = id;
        }
    }

    @Override
    protected boolean stripsLeadingSpace() {
        return addSpacePrefix;
    }

    @Override
    protected byte[] normalTokenBytes(String token) {
        return token.replace(SPACE, " ").getBytes(StandardCharsets.UTF_8);
    }

    private record Pair(int left, int right, float score, int length) {}

    @Override
    protected void encodeText(String raw, boolean afterSpecial, IntList out) {
        String text = ((addSpacePrefix && afterSpecial) ? " " + raw : raw).replace(" ", SPACE);
        int[] cps = text.codePoints().toArray();
        int n = cps.length;
        if (n == 0) return;
        String[] sym = new String[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            sym[i] = new String(cps, i, 1);
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(queue, sym, i - 1, i);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            String l = sym[p.left], r = sym[p.right];
            // stale when either side has changed since; llama.cpp compares byte lengths, and so do we
            if (l == null || r == null || utf8Length(l) + utf8Length(r) != p.length) continue;
            sym[p.left] = l + r;
            sym[p.right] = null;
            next[p.left] = next[p.right];
            if (next[p.right] >= 0) prev[next[p.right]] = p.left;
            if (prev[p.left] >= 0) offer(queue, sym, prev[p.left], p.left);
            if (next[p.left] >= 0) offer(queue, sym, p.left, next[p.left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            int id = vocab.id(sym[i]);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            // merged symbols are always tokens, so only single unknown characters get here
            for (byte b : sym[i].getBytes(StandardCharsets.UTF_8)) {
                int t = byteTokens[b & 0xFF];
                out.add(t >= 0 ? t : vocab.unk());
            }
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private void offer(PriorityQueue<Pair> queue, String[] sym, int left, int right) {
        String merged = sym[left] + sym[right];
        int id = vocab.id(merged);
        if (id >= 0) queue.add(new Pair(left, right, vocab.scores() == null ? 0f : vocab.scores()[id], utf8Length(merged)));
    }
}
