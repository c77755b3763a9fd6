package ai.peregrine.engine.sampling;

/**
 * Counts of every id seen so far (prompt + generated), kept incrementally so penalties cost O(distinct ids)
 * per token instead of O(sequence length), without allocation.
 */
public final class TokenHistory {
    private final int[] counts;
    private final int[] distinct;
    private int distinctCount;
    private int length;

    public TokenHistory(int vocabSize) {
        this.counts = new int[vocabSize];
        this.distinct = new int[vocabSize];
    }

    public void add(int id) {
        if (counts[id]++ == 0) distinct[distinctCount++] = id;
        length++;
    }

    public void addAll(int[] ids, int off, int len) {
        for (int i = off; i < off + len; i++) add(ids[i]);
    }

    public void clear() {
        for (int i = 0; i < distinctCount; i++) counts[distinct[i]] = 0;
        distinctCount = 0;
        length = 0;
    }

    /** Total ids added, repeats included. */
    public int length() {
        return length;
    }

    public int distinctCount() {
        return distinctCount;
    }

    /** The i-th distinct id, in first-seen order. */
    public int distinctId(int i) {
        return distinct[i];
    }

    public int count(int id) {
        return counts[id];
    }
}
