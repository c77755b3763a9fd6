package ai.peregrine.engine.sampling;

/**
 * Orders vocabulary indices by a float key without a full sort: each (key, index) pair is packed into one long
 * whose natural order is the key's order (ties broken by the lower index), so a quickselect followed by a sort of
 * only the selected prefix gives the m smallest keys in order. Preallocated; no allocation per call.
 */
final class ScoreRanking {
    private final long[] packed;
    private int size;

    ScoreRanking(int capacity) {
        this.packed = new long[capacity];
    }

    /** Ranks indices 0..n-1 by {@code values} descending (highest first) when {@code descending}, else ascending. */
    void load(float[] values, int n, boolean descending) {
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (Float.isNaN(v)) v = descending ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            packed[i] = pack(descending ? -v : v, i);
        }
        size = n;
    }

    int size() {
        return size;
    }

    /** Puts the m best-ranked entries, in rank order, at positions 0..m-1. */
    void selectTop(int m) {
        m = Math.min(m, size);
        if (m <= 0) return;
        if (m < size) quickselect(m);
        heapSort(m);
    }

    /** Vocabulary index at rank r (valid for r below the last selectTop's m). */
    int indexAt(int rank) {
        return (int) packed[rank];
    }

    private static long pack(float key, int index) {
        int bits = Float.floatToRawIntBits(key == 0f ? 0f : key); // -0 and +0 rank equal
        bits ^= (bits >> 31) & 0x7fffffff; // IEEE order -> signed int order
        return ((long) bits << 32) | (index & 0xffffffffL);
    }

    /** Rearranges so that the m smallest packed values occupy 0..m-1 (unordered). Keys are unique. */
    private void quickselect(int m) {
        long[] a = packed;
        int lo = 0, hi = size - 1, k = m - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long pivot = medianOf3(a[lo], a[mid], a[hi]);
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    long t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    private static long medianOf3(long x, long y, long z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    private void heapSort(int n) {
        long[] a = packed;
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(a, i, n);
        for (int end = n - 1; end > 0; end--) {
            long t = a[0]; a[0] = a[end]; a[end] = t;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(long[] a, int i, int n) {
        long v = a[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && a[child + 1] > a[child]) child++;
            if (a[child] <= v) break;
            a[i] = a[child];
            i = child;
        }
        a[i] = v;
    }
}
