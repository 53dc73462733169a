package org.malariastream.metrics.quality;

import java.util.Arrays;

/** The exact Mann-Whitney AUC by sorting every score: the reference the histograms are held to. */
final class ExactAuc {
    private ExactAuc() {}

    static double of(double[] positives, double[] negatives) {
        double[] neg = negatives.clone();
        Arrays.sort(neg);
        double pairs = 0;
        for (double p : positives) {
            int below = lowerBound(neg, p);
            int notAbove = upperBound(neg, p);
            pairs += below + 0.5 * (notAbove - below);
        }
        return pairs / ((double) positives.length * negatives.length);
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
