package org.malariastream.metrics.quality;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The confusion matrix and the per-class score histograms of a set of labelled predictions. PARASITIZED is
 * the positive class. Mergeable (counts add) and reversible (a cell's contribution can be taken out again),
 * which is what makes the figures exact when a prediction or label is replaced.
 */
public final class QualityAggregate {
    private long truePositives;
    private long falsePositives;
    private long trueNegatives;
    private long falseNegatives;
    /** Scores (probability of PARASITIZED) of cells labelled PARASITIZED. */
    private final ScoreHistogram positives;
    /** Scores of cells labelled UNINFECTED. */
    private final ScoreHistogram negatives;

    public QualityAggregate() {
        this(new ScoreHistogram(), new ScoreHistogram());
    }

    private QualityAggregate(ScoreHistogram positives, ScoreHistogram negatives) {
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * Adds ({@code sign = +1}) or removes ({@code -1}) one labelled prediction.
     *
     * @param predictedParasitized the model's verdict at its operating threshold
     * @param probability          the model's probability of PARASITIZED
     * @param labelledParasitized  the microscopist's verdict
     */
    public void add(boolean predictedParasitized, double probability, boolean labelledParasitized, int sign) {
        if (labelledParasitized) {
            if (predictedParasitized) {
                truePositives += sign;
            } else {
                falseNegatives += sign;
            }
            positives.add(probability, sign);
        } else {
            if (predictedParasitized) {
                falsePositives += sign;
            } else {
                trueNegatives += sign;
            }
            negatives.add(probability, sign);
        }
    }

    public void merge(QualityAggregate other) {
        truePositives += other.truePositives;
        falsePositives += other.falsePositives;
        trueNegatives += other.trueNegatives;
        falseNegatives += other.falseNegatives;
        positives.merge(other.positives);
        negatives.merge(other.negatives);
    }

    public QualityAggregate copy() {
        QualityAggregate c = new QualityAggregate(positives.copy(), negatives.copy());
        c.truePositives = truePositives;
        c.falsePositives = falsePositives;
        c.trueNegatives = trueNegatives;
        c.falseNegatives = falseNegatives;
        return c;
    }

    public long count() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    public long truePositives() {
        return truePositives;
    }

    public long falsePositives() {
        return falsePositives;
    }

    public long trueNegatives() {
        return trueNegatives;
    }

    public long falseNegatives() {
        return falseNegatives;
    }

    /** Every figure the service publishes; a ratio is null while its denominator is zero. */
    public QualityMetrics metrics() {
        long tp = truePositives;
        long fp = falsePositives;
        long tn = trueNegatives;
        long fn = falseNegatives;
        return new QualityMetrics(count(), tp, fp, tn, fn,
                ratio(tp + tn, count()), ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tn, tn + fp),
                ratio(2 * tp, 2 * tp + fp + fn), auc());
    }

    private static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    /**
     * ROC AUC as Mann-Whitney's U / (P N) over the histograms: a positive in a higher bin than a negative
     * counts 1, in the same bin 1/2 (as an exact tie does). Null without both classes.
     */
    public Double auc() {
        long p = positives.total();
        long n = negatives.total();
        if (p <= 0 || n <= 0) {
            return null;
        }
        double pairs = 0;
        long negativesBelow = 0;
        for (int b = 0; b < ScoreHistogram.BINS; b++) {
            long pos = positives.count(b);
            long neg = negatives.count(b);
            if (pos != 0) {
                pairs += pos * (negativesBelow + 0.5 * neg);
            }
            negativesBelow += neg;
        }
        return pairs / ((double) p * n);
    }

    /**
     * The ROC curve, from threshold 1 down to 0, thinned to about {@code maxPoints} points: a point is kept
     * when it moved at least 1/maxPoints in either coordinate since the last one kept.
     */
    public List<RocPoint> roc(int maxPoints) {
        long p = positives.total();
        long n = negatives.total();
        List<RocPoint> points = new ArrayList<>();
        if (p <= 0 || n <= 0) {
            return points;
        }
        double step = 1.0 / Math.max(1, maxPoints);
        points.add(new RocPoint(0, 0, 1.0));
        long tpAbove = 0;
        long fpAbove = 0;
        RocPoint last = points.get(0);
        for (int b = ScoreHistogram.BINS - 1; b >= 0; b--) {
            tpAbove += positives.count(b);
            fpAbove += negatives.count(b);
            RocPoint point = new RocPoint((double) fpAbove / n, (double) tpAbove / p, ScoreHistogram.lowerEdge(b));
            boolean end = b == 0;
            if (end || point.fpr() - last.fpr() >= step || point.tpr() - last.tpr() >= step) {
                points.add(point);
                last = point;
            }
        }
        return points;
    }

    // --- binary form: four varint counters, then the two sparse histograms ---

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(40 + positives.maxEncodedSize() + negatives.maxEncodedSize());
        writeTo(out);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    public int maxEncodedSize() {
        return 40 + positives.maxEncodedSize() + negatives.maxEncodedSize();
    }

    public void writeTo(ByteBuffer out) {
        Varints.writeSigned(out, truePositives);
        Varints.writeSigned(out, falsePositives);
        Varints.writeSigned(out, trueNegatives);
        Varints.writeSigned(out, falseNegatives);
        positives.writeTo(out);
        negatives.writeTo(out);
    }

    public static QualityAggregate readFrom(ByteBuffer in) {
        long tp = Varints.readSigned(in);
        long fp = Varints.readSigned(in);
        long tn = Varints.readSigned(in);
        long fn = Varints.readSigned(in);
        QualityAggregate a = new QualityAggregate(ScoreHistogram.readFrom(in), ScoreHistogram.readFrom(in));
        a.truePositives = tp;
        a.falsePositives = fp;
        a.trueNegatives = tn;
        a.falseNegatives = fn;
        return a;
    }

    public static QualityAggregate fromBytes(byte[] bytes) {
        return readFrom(ByteBuffer.wrap(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualityAggregate a && truePositives == a.truePositives
                && falsePositives == a.falsePositives && trueNegatives == a.trueNegatives
                && falseNegatives == a.falseNegatives && positives.equals(a.positives) && negatives.equals(a.negatives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(truePositives, falsePositives, trueNegatives, falseNegatives);
    }
}
