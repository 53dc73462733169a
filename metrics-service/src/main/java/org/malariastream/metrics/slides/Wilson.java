package org.malariastream.metrics.slides;

/**
 * Wilson's score interval for a proportion. Unlike the normal approximation it stays inside [0, 1] and is
 * sensible for 0 or all successes and small n, which is exactly a slide with few or no parasitised cells.
 */
public final class Wilson {
    /** The 97.5th percentile of the standard normal distribution: a two-sided 95% interval. */
    public static final double Z_95 = 1.959963984540054;

    private Wilson() {}

    /** A proportion's interval, both ends in [0, 1]. */
    public record Interval(double low, double high) {}

    public static Interval interval(long successes, long trials, double z) {
        if (trials <= 0) {
            return new Interval(0.0, 1.0);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 and n successes the exact bound is 0 or 1; rounding must not push it below or above.
        double low = successes == 0 ? 0.0 : Math.max(0.0, centre - half);
        double high = successes == trials ? 1.0 : Math.min(1.0, centre + half);
        return new Interval(low, high);
    }

    public static Interval interval95(long successes, long trials) {
        return interval(successes, trials, Z_95);
    }
}
