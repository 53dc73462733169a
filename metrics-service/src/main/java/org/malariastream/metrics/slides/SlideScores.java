package org.malariastream.metrics.slides;

import java.nio.ByteBuffer;
import org.malariastream.common.slides.PriorShift;
import org.malariastream.metrics.quality.Varints;

/**
 * The model's outputs for a slide's cells, counted in coarse logit bins: all the slide-aware estimate
 * ({@link PriorShift}) needs, in at most a few hundred bytes of state however many cells the slide has. Bins of
 * 0.25 in logit move a cell's posterior by at most about 0.03 from its exact value, and those errors have
 * either sign, so a slide's estimate moves by far less; outputs beyond |logit| 12 (p below 6e-6 or above
 * 1 - 6e-6) share the end bins, where the posterior is 0 or 1 anyway.
 */
public final class SlideScores {
    static final double LOGIT_LIMIT = 12.0;
    static final double BIN_WIDTH = 0.25;
    static final int BINS = (int) Math.round(2 * LOGIT_LIMIT / BIN_WIDTH);

    private final long[] counts;
    private long total;

    public SlideScores() {
        this(new long[BINS], 0);
    }

    private SlideScores(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    static int bin(double probability) {
        double logit = Math.log(probability) - Math.log1p(-probability);
        if (!(logit > -LOGIT_LIMIT)) {
            return 0;
        }
        return Math.min(BINS - 1, (int) ((logit + LOGIT_LIMIT) / BIN_WIDTH));
    }

    /** The probability at a bin's centre in logit. */
    static double centre(int bin) {
        double logit = (bin + 0.5) * BIN_WIDTH - LOGIT_LIMIT;
        return 1 / (1 + Math.exp(-logit));
    }

    /** Adds (+1) or removes (-1) one cell's output. */
    public void add(double probability, long delta) {
        counts[bin(probability)] += delta;
        total += delta;
    }

    public long total() {
        return total;
    }

    /** The slide's estimated parasitized share from these cells (NaN if there are none). */
    public double share(double sharpen) {
        int[] used = nonEmpty();
        double[] q = new double[used.length];
        long[] weights = new long[used.length];
        for (int k = 0; k < used.length; k++) {
            q[k] = PriorShift.sharpened(centre(used[k]), sharpen);
            weights[k] = counts[used[k]];
        }
        return PriorShift.share(q, weights);
    }

    /**
     * The share of these cells whose posterior, adjusted to {@code share}, is at least one half: the slide-aware
     * count. The share may come from other cells (a slide's labelled cells are counted with the share of all its
     * cells). The bin holding the decision boundary counts in proportion to its part above it, as if its cells
     * were spread evenly in logit. NaN if there are none.
     */
    public double shareCalledParasitized(double share, double sharpen) {
        if (total <= 0) {
            return Double.NaN;
        }
        double boundary = PriorShift.decisionLogit(share, sharpen);
        double called = 0;
        for (int b : nonEmpty()) {
            double low = b * BIN_WIDTH - LOGIT_LIMIT;
            double above = Math.min(1, Math.max(0, (low + BIN_WIDTH - boundary) / BIN_WIDTH));
            called += counts[b] * above;
        }
        return called / total;
    }

    private int[] nonEmpty() {
        int[] used = new int[Varints.nonZero(counts)];
        int k = 0;
        for (int b = 0; b < BINS; b++) {
            if (counts[b] != 0) {
                used[k++] = b;
            }
        }
        return used;
    }

    public int maxEncodedSize() {
        return Varints.maxSparseSize(counts);
    }

    public void writeTo(ByteBuffer out) {
        Varints.writeSparse(out, counts);
    }

    public static SlideScores readFrom(ByteBuffer in) {
        long[] counts = new long[BINS];
        long total = Varints.readSparse(in, counts);
        return new SlideScores(counts, total);
    }
}
