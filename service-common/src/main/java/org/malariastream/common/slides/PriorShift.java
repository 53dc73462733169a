package org.malariastream.common.slides;

/**
 * A classifier's outputs moved to a slide's own parasitized share, that share being estimated from the
 * slide's cells by expectation-maximisation (Saerens, Latinne and Decaestecker, "Adjusting the outputs of a
 * classifier to new a priori probabilities", Neural Computation 14, 2002).
 *
 * <p>Why: the model learnt from about as many parasitized as uninfected cells, so its outputs carry a prior
 * of one half, while the cells of one slide share another (from 0 on an uninfected patient's slide to about
 * 0.9). The share and the cells' posteriors are found together: share = mean posterior, posterior = Bayes'
 * rule with that share in place of one half.
 *
 * <p>The mean counts half a pseudo-cell of each class beside the slide's own cells (the Krichevsky-Trofimov or
 * Jeffreys estimate of a proportion, (x + 1/2) / (n + 1)). Without it, a slide whose cells all look uninfected
 * is driven to a share of almost 0, which pushes its cells, a missed parasitized one among them, below every
 * cell of other slides: the pooled ROC AUC fell by up to 0.008 in cross-validation, and half a pseudo-cell
 * takes back most of that with accuracy unchanged (model card v4, "Slide-aware probabilities"). The share of
 * a slide of n cells stays within [1 / (2n + 2), (2n + 1) / (2n + 2)].
 *
 * <p>Outputs are first sharpened ({@code sigmoid(sharpen * logit(p))}): label smoothing pulls them towards
 * one half, and the adjustment needs posteriors that say how sure the model is. One implementation for
 * {@code evaluate --slide-prior} (whole slides) and the metrics service (each slide's cells so far).
 */
public final class PriorShift {

    /** Chosen by leave-one-fold-out cross-validation on two 5-fold runs of different recipes (model card v4). */
    public static final double DEFAULT_SHARPEN = 1.25;
    /** The prior the model's outputs carry: its training cells were about half parasitized. */
    public static final double TRAINING_PRIOR = 0.5;
    /** The share is kept off 0 and 1, where the posterior of a contradicting cell would be lost. */
    static final double MIN_SHARE = 1e-4;
    /** Pseudo-cells of each class added to a slide's cells when its share is estimated (see above). */
    public static final double PSEUDO_CELLS = 0.5;
    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-7;

    private PriorShift() {}

    /** Refuses a sharpening that is not a positive finite number. */
    public static double requireValidSharpen(double sharpen) {
        if (!(sharpen > 0) || Double.isInfinite(sharpen)) {
            throw new IllegalArgumentException("sharpen must be a positive number, got " + sharpen);
        }
        return sharpen;
    }

    /** sigmoid(sharpen * logit(p)), with p kept inside (0, 1) so that certain cells stay finite. */
    public static double sharpened(double p, double sharpen) {
        double clipped = Math.min(1 - 1e-7, Math.max(1e-7, p));
        return 1 / (1 + Math.exp(-sharpen * logit(clipped)));
    }

    /** Bayes' rule: the posterior of a cell whose (sharpened) output q assumed {@link #TRAINING_PRIOR}, under {@code share}. */
    public static double posterior(double q, double share) {
        double positive = q * share / TRAINING_PRIOR;
        double negative = (1 - q) * (1 - share) / (1 - TRAINING_PRIOR);
        return positive / (positive + negative);
    }

    /**
     * The model's own logit ({@code log(p / (1 - p))}, before sharpening) at and above which a cell's adjusted
     * posterior under {@code share} is at least one half: Bayes' rule moves the sharpened logit by
     * logit(share) - logit(training prior).
     */
    public static double decisionLogit(double share, double sharpen) {
        return (logit(TRAINING_PRIOR) - logit(share)) / sharpen;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /**
     * The slide's parasitized share: the fixed point of share = (sum of posteriors + {@link #PSEUDO_CELLS}) /
     * (cells + 2 {@link #PSEUDO_CELLS}), the mean posterior with half a pseudo-cell of each class.
     *
     * @param q       sharpened outputs
     * @param weights how many cells have each output (null: one each); the weighted form serves histograms
     * @return the share, or NaN when there are no cells
     */
    public static double share(double[] q, long[] weights) {
        if (weights != null && weights.length != q.length) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        double cells = 0;
        for (int j = 0; j < q.length; j++) {
            cells += weights == null ? 1 : weights[j];
        }
        if (cells <= 0) {
            return Double.NaN;
        }
        double share = TRAINING_PRIOR;
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double sum = 0;
            for (int j = 0; j < q.length; j++) {
                sum += (weights == null ? 1 : weights[j]) * posterior(q[j], share);
            }
            double next = Math.min(1 - MIN_SHARE, Math.max(MIN_SHARE, (sum + PSEUDO_CELLS) / (cells + 2 * PSEUDO_CELLS)));
            boolean converged = Math.abs(next - share) < TOLERANCE;
            share = next;
            if (converged) {
                break;
            }
        }
        return share;
    }
}
