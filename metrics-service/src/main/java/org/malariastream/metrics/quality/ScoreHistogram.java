package org.malariastream.metrics.quality;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Counts of one class's probabilities in fixed bins, mergeable by adding counts. The bins are uniform in
 * logit space ({@code log(p / (1 - p))}), not in p: a CNN piles its scores within 1e-3 of 0 and 1, where
 * uniform p-bins would put almost every cell into the end bins and the AUC error would grow to 1e-2;
 * logit bins of width 0.02 spread those piles over hundreds of bins and keep every bin's share of
 * positive-negative pairs tiny. The range [-40, 40] covers every double below 1 (the largest, 1 - 2^-53,
 * has logit 36.7) and p down to 4e-18; anything further out (p = 0 or 1 exactly, or smaller than that)
 * lands in the end bins, where it ties with its neighbours.
 */
public final class ScoreHistogram {
    public static final double LOGIT_LIMIT = 40.0;
    public static final double BIN_WIDTH = 0.02;
    public static final int BINS = (int) Math.round(2 * LOGIT_LIMIT / BIN_WIDTH);

    private final long[] counts;
    private long total;

    public ScoreHistogram() {
        this.counts = new long[BINS];
    }

    private ScoreHistogram(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /** The bin of a probability; NaN is refused upstream (a record with it goes to the dead-letter topic). */
    public static int bin(double probability) {
        double logit = Math.log(probability) - Math.log1p(-probability);
        if (logit <= -LOGIT_LIMIT) {
            return 0;
        }
        if (logit >= LOGIT_LIMIT) {
            return BINS - 1;
        }
        return Math.min(BINS - 1, (int) ((logit + LOGIT_LIMIT) / BIN_WIDTH));
    }

    /** The probability at a bin's lower edge (the ROC curve's threshold for that bin). */
    public static double lowerEdge(int bin) {
        if (bin <= 0) {
            return 0.0;
        }
        double logit = bin * BIN_WIDTH - LOGIT_LIMIT;
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    /** Adds {@code delta} (+1 or -1, or any count) at a probability. */
    public void add(double probability, long delta) {
        addToBin(bin(probability), delta);
    }

    void addToBin(int bin, long delta) {
        counts[bin] += delta;
        total += delta;
    }

    public long count(int bin) {
        return counts[bin];
    }

    public long total() {
        return total;
    }

    public void merge(ScoreHistogram other) {
        for (int i = 0; i < BINS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public ScoreHistogram copy() {
        return new ScoreHistogram(counts.clone(), total);
    }

    /** Bins that hold something (a partial of a few cells is a few bytes on the wire). */
    public int nonEmptyBins() {
        return Varints.nonZero(counts);
    }

    /** Sparse form ({@link Varints#writeSparse}). */
    public void writeTo(ByteBuffer out) {
        Varints.writeSparse(out, counts);
    }

    /** An upper bound of {@link #writeTo}'s size. */
    public int maxEncodedSize() {
        return Varints.maxSparseSize(counts);
    }

    public static ScoreHistogram readFrom(ByteBuffer in) {
        long[] counts = new long[BINS];
        long total = Varints.readSparse(in, counts);
        return new ScoreHistogram(counts, total);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreHistogram h && total == h.total && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
