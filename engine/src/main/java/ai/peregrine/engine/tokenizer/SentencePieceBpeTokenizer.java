package ai.peregrine.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE (GGUF {@code tokenizer.ggml.model = llama}): spaces become U+2581, a U+2581 is prefixed to
 * raw-text fragments, and unknown characters become {@code <0xXX>} byte tokens. llama.cpp's llm_tokenizer_spm merges
 * adjacent symbols while their concatenation is a token, best score first (leftmost on ties), and prefixes every
 * fragment. Under Hugging Face semantics (the BPE model with byte_fallback of Llama/Mistral tokenizer.json files)
 * merges go by rank ({@link MergeRanks}), consecutive unknown characters fuse into one unknown token when there is no
 * byte token for them, and the prefix follows {@link SpacePrefix}.
 */
final class SentencePieceBpeTokenizer extends AbstractTokenizer {
    static final String SPACE = "\u2581";

    private final boolean addSpacePrefix;
    private final int[] byteTokens = new int[256];
    /** Hugging Face semantics only. */
    private final MergeRanks merges;

    SentencePieceBpeTokenizer(Vocabulary vocab, Semantics semantics, String[] merges) {
        super(vocab, semantics);
        this.addSpacePrefix = semantics.spacePrefix() != SpacePrefix.NEVER;
        this.merges = semantics.huggingFace() ? new MergeRanks(merges) : null;
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id < 0 && !semantics.huggingFace()) id = vocab.id(new String(new byte[] {(byte) b}, StandardCharsets.ISO_8859_1));
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

    private record Pair(int left, int right, float score, int bytes, int token) {}

    /** Merged token of two tokens, or -1; keyed by both ids. Grows with the pairs seen, up to a bound. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Integer> pairTokens = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected void encodeText(String raw, boolean afterSpecial, boolean startsText, IntList out) {
        if (semantics.huggingFace()) {
            encodeByRank(raw, startsText, out);
            return;
        }
        String text = ((addSpacePrefix && afterSpecial) ? " " + raw : raw).replace(" ", SPACE);
        int[] cps = text.codePoints().toArray();
        int n = cps.length;
        if (n == 0) return;
        Symbols s = new Symbols(n);
        for (int i = 0; i < n; i++) {
            s.text[i] = Character.toString(cps[i]);
            s.token[i] = vocab.id(s.text[i]);
            s.bytes[i] = utf8Length(cps[i]);
            s.prev[i] = i - 1;
            s.next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) offer(queue, s, i - 1, i);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            int l = p.left, r = p.right;
            // stale when either side has changed since; llama.cpp compares byte lengths, and so do we
            if (s.bytes[l] == 0 || s.bytes[r] == 0 || s.bytes[l] + s.bytes[r] != p.bytes) continue;
            s.text[l] = null; // only needed again if some lookup needs text; rebuilt lazily
            s.token[l] = p.token;
            s.bytes[l] = p.bytes;
            s.bytes[r] = 0;
            s.next[l] = s.next[r];
            if (s.next[r] >= 0) s.prev[s.next[r]] = l;
            if (s.prev[l] >= 0) offer(queue, s, s.prev[l], l);
            if (s.next[l] >= 0) offer(queue, s, l, s.next[l]);
        }
        for (int i = 0; i >= 0; i = s.next[i]) {
            if (s.token[i] >= 0) {
                out.add(s.token[i]);
                continue;
            }
            // merged symbols are always tokens, so only single unknown characters get here
            for (byte b : s.text[i].getBytes(StandardCharsets.UTF_8)) {
                int t = byteTokens[b & 0xFF];
                out.add(t >= 0 ? t : vocab.unk());
            }
        }
    }

    private void encodeByRank(String raw, boolean startsText, IntList out) {
        String text = raw.replace(" ", SPACE);
        if (semantics.spacePrefix().applies(text, startsText)) text = SPACE + text;
        boolean lastUnknown = false;
        for (String symbol : merges.merge(text)) {
            int id = vocab.id(symbol);
            if (id >= 0) {
                out.add(id);
                lastUnknown = false;
                continue;
            }
            // only single characters are left unmerged unknowns: valid merges make tokens
            byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
            boolean allBytes = true;
            for (byte b : bytes) allBytes &= byteTokens[b & 0xFF] >= 0;
            if (allBytes) {
                for (byte b : bytes) out.add(byteTokens[b & 0xFF]);
                lastUnknown = false;
            } else if (vocab.unk() >= 0 && !lastUnknown) {
                out.add(vocab.unk());
                lastUnknown = true;
            }
        }
    }

    /** The symbol chain: text (null once merged: merged symbols are tokens), token id or -1, UTF-8 length (0 = merged away). */
    private static final class Symbols {
        final String[] text;
        final int[] token, bytes, prev, next;

        Symbols(int n) {
            text = new String[n];
            token = new int[n];
            bytes = new int[n];
            prev = new int[n];
            next = new int[n];
        }

        String text(Vocabulary vocab, int i) {
            return text[i] != null ? text[i] : vocab.tokens()[token[i]];
        }
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private void offer(PriorityQueue<Pair> queue, Symbols s, int left, int right) {
        int merged;
        if (s.token[left] >= 0 && s.token[right] >= 0) {
            long key = ((long) s.token[left] << 32) | s.token[right];
            Integer cached = pairTokens.get(key);
            if (cached == null) {
                cached = vocab.id(s.text(vocab, left) + s.text(vocab, right));
                if (pairTokens.size() < 1 << 20) pairTokens.put(key, cached);
            }
            merged = cached;
        } else {
            merged = vocab.id(s.text(vocab, left) + s.text(vocab, right));
        }
        if (merged < 0) return;
        queue.add(new Pair(left, right, vocab.scores() == null ? 0f : vocab.scores()[merged], s.bytes[left] + s.bytes[right], merged));
    }
}
