package org.malariastream.classifier.model.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Classification figures for P(parasitized) against labels, PARASITIZED being the positive class.
 *
 * @param count images scored
 * @param accuracy share of correct labels at {@code threshold}
 * @param auc ROC AUC from the probabilities (Mann-Whitney U, ties count one half)
 * @param f1 F1 of the parasitized class
 * @param precision precision of the parasitized class
 * @param sensitivity recall of the parasitized class
 * @param specificity recall of the uninfected class
 * @param confusion the confusion matrix
 * @param slideMaePp mean absolute difference, in percentage points, between the predicted and the
 *     labelled parasitized share of each slide with at least {@link #MIN_SLIDE_CELLS} cells (NaN if none)
 * @param slides slides that entered {@code slideMaePp}
 * @param threshold the operating threshold used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metrics(
        @JsonProperty("count") int count,
        @JsonProperty("accuracy") double accuracy,
        @JsonProperty("auc") double auc,
        @JsonProperty("f1") double f1,
        @JsonProperty("precision") double precision,
        @JsonProperty("sensitivity") double sensitivity,
        @JsonProperty("specificity") double specificity,
        @JsonProperty("confusion") Confusion confusion,
        @JsonProperty("slide_mae_pp") double slideMaePp,
        @JsonProperty("slides") int slides,
        @JsonProperty("threshold") double threshold) {

    /** Slides with fewer cells are left out of the parasitaemia error. */
    public static final int MIN_SLIDE_CELLS = 10;

    /**
     * Computes every figure.
     *
     * @param probability P(parasitized) per image
     * @param parasitized the label per image
     * @param slides slide id per image, or null entries / a null array to leave the slide error out
     */
    public static Metrics compute(float[] probability, boolean[] parasitized, String[] slides, double threshold) {
        int n = probability.length;
        if (parasitized.length != n || (slides != null && slides.length != n)) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        long tp = 0, fn = 0, fp = 0, tn = 0;
        for (int i = 0; i < n; i++) {
            boolean predicted = probability[i] >= threshold;
            if (parasitized[i]) {
                if (predicted) tp++; else fn++;
            } else {
                if (predicted) fp++; else tn++;
            }
        }
        double precision = ratio(tp, tp + fp);
        double sensitivity = ratio(tp, tp + fn);
        double f1 = ratio(2 * tp, 2 * tp + fp + fn);
        double[] slide = slides == null ? new double[] {Double.NaN, 0} : slideMae(probability, parasitized, slides, threshold);
        return new Metrics(n, ratio(tp + tn, n), auc(probability, parasitized), f1, precision, sensitivity,
                ratio(tn, tn + fp), new Confusion(tp, fn, fp, tn), slide[0], (int) slide[1], threshold);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /**
     * ROC AUC as the Mann-Whitney statistic: the probability that a random positive scores above a
     * random negative, ties counting one half (average ranks). NaN when a class is missing.
     */
    public static double auc(float[] score, boolean[] positive) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(score[a], score[b]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** [mean absolute error in percentage points, slides counted]. */
    static double[] slideMae(float[] probability, boolean[] parasitized, String[] slides, double threshold) {
        Map<String, long[]> bySlide = new HashMap<>(); // cells, labelled positive, predicted positive
        for (int i = 0; i < probability.length; i++) {
            if (slides[i] == null) {
                continue;
            }
            long[] c = bySlide.computeIfAbsent(slides[i], k -> new long[3]);
            c[0]++;
            if (parasitized[i]) c[1]++;
            if (probability[i] >= threshold) c[2]++;
        }
        double sum = 0;
        int counted = 0;
        for (long[] c : bySlide.values()) {
            if (c[0] >= MIN_SLIDE_CELLS) {
                sum += Math.abs(c[2] - c[1]) * 100.0 / c[0];
                counted++;
            }
        }
        return new double[] {counted == 0 ? Double.NaN : sum / counted, counted};
    }

    /** The threshold in [0.05, 0.95] (step 0.005) with the best accuracy; ties go to the one nearest 0.5. */
    public static double bestAccuracyThreshold(float[] probability, boolean[] parasitized) {
        double best = 0.5;
        long bestCorrect = -1;
        for (int k = 10; k <= 190; k++) {
            double t = k * 0.005;
            long correct = 0;
            for (int i = 0; i < probability.length; i++) {
                if ((probability[i] >= t) == parasitized[i]) {
                    correct++;
                }
            }
            if (correct > bestCorrect || (correct == bestCorrect && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
                bestCorrect = correct;
                best = t;
            }
        }
        return best;
    }

    /** Points (false positive rate, true positive rate) of the ROC curve, from (0,0) to (1,1). */
    public static double[][] rocCurve(float[] score, boolean[] positive) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(score[b], score[a]));
        long pos = 0;
        for (boolean p : positive) {
            if (p) pos++;
        }
        long neg = n - pos;
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        pts.add(new double[] {0, 0});
        long tp = 0, fp = 0;
        for (int i = 0; i < n; i++) {
            if (positive[order[i]]) tp++; else fp++;
            if (i + 1 == n || score[order[i + 1]] != score[order[i]]) {
                pts.add(new double[] {neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos});
            }
        }
        return pts.toArray(new double[0][]);
    }
}
