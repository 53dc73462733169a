package org.malariastream.classifier.model.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slide-aware probabilities: each cell's P(parasitized) adjusted to the parasitized share of its own
 * slide, that share being estimated from the slide's cells by expectation-maximisation (Saerens,
 * Latinne and Decaestecker, "Adjusting the outputs of a classifier to new a priori probabilities", Neural
 * Computation 14, 2002).
 *
 * <p>Why: the model learnt from about as many parasitized as uninfected cells, so its outputs carry a
 * prior of one half, while the cells of one slide share another prior (from 0 on an uninfected
 * patient's slide to about 0.9). A borderline cell on a slide whose other cells are all clearly uninfected
 * is more likely uninfected than the model alone says. The slide's share and the cells' posteriors are
 * found together: share = mean posterior, posterior = Bayes' rule with that share in place of one half.
 *
 * <p>The model's probabilities are first sharpened ({@code sigmoid(sharpen * logit(p))}): label smoothing
 * pulls them towards one half, and the adjustment needs posteriors that say how sure the model is.
 *
 * <p>A decision then depends on the other cells of the slide, so it needs the slide's cells together
 * (a slide at a time, or its cells seen so far). Cells without a known slide are left as they are.
 */
public final class SlidePrior {

    /** Chosen by leave-one-fold-out cross-validation on two 5-fold runs of different recipes (model card). */
    public static final double DEFAULT_SHARPEN = 1.25;
    /** The prior the model's outputs carry: its training cells were about half parasitized. */
    static final double TRAINING_PRIOR = 0.5;
    /** The share is kept off 0 and 1, where the posterior of a contradicting cell would be lost. */
    static final double MIN_SHARE = 1e-4;
    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-7;

    private SlidePrior() {}

    /**
     * @param probabilities the adjusted P(parasitized) of every cell, in input order
     * @param slideShare the estimated parasitized share of each slide
     */
    public record Result(float[] probabilities, Map<String, Double> slideShare) {}

    /**
     * Adjusts every cell to its slide's estimated share.
     *
     * @param probability P(parasitized) per cell, as the model gave it
     * @param slides slide id per cell; a null entry leaves the cell unadjusted
     * @param sharpen the logit scale applied before the adjustment (1 = none); must be positive
     */
    public static Result adjust(float[] probability, String[] slides, double sharpen) {
        if (slides.length != probability.length) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        if (!(sharpen > 0) || Double.isInfinite(sharpen)) {
            throw new IllegalArgumentException("sharpen must be a positive number, got " + sharpen);
        }
        Map<String, List<Integer>> cellsOf = new LinkedHashMap<>();
        for (int i = 0; i < slides.length; i++) {
            if (slides[i] != null) {
                cellsOf.computeIfAbsent(slides[i], k -> new ArrayList<>()).add(i);
            }
        }
        float[] out = probability.clone();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Map.Entry<String, List<Integer>> slide : cellsOf.entrySet()) {
            List<Integer> cells = slide.getValue();
            double[] q = new double[cells.size()];
            for (int j = 0; j < q.length; j++) {
                q[j] = sharpened(probability[cells.get(j)], sharpen);
            }
            double share = TRAINING_PRIOR;
            double[] posterior = new double[q.length];
            for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
                double sum = 0;
                for (int j = 0; j < q.length; j++) {
                    posterior[j] = posterior(q[j], share);
                    sum += posterior[j];
                }
                double next = Math.min(1 - MIN_SHARE, Math.max(MIN_SHARE, sum / q.length));
                boolean converged = Math.abs(next - share) < TOLERANCE;
                share = next;
                if (converged) {
                    break;
                }
            }
            for (int j = 0; j < q.length; j++) {
                out[cells.get(j)] = (float) posterior(q[j], share);
            }
            shares.put(slide.getKey(), share);
        }
        return new Result(out, shares);
    }

    /** The figures of the adjusted probabilities at threshold 0.5 (where the two priors' odds meet). */
    public static Metrics metrics(float[] probability, boolean[] parasitized, String[] slides, double sharpen) {
        return Metrics.compute(adjust(probability, slides, sharpen).probabilities(), parasitized, slides, 0.5);
    }

    /** sigmoid(sharpen * logit(p)), with p kept inside (0, 1) so that certain cells stay finite. */
    static double sharpened(double p, double sharpen) {
        double clipped = Math.min(1 - 1e-7, Math.max(1e-7, p));
        double logit = Math.log(clipped / (1 - clipped));
        return 1 / (1 + Math.exp(-sharpen * logit));
    }

    /** Bayes' rule: the posterior of a cell whose output q assumed {@link #TRAINING_PRIOR}, under {@code share}. */
    static double posterior(double q, double share) {
        double positive = q * share / TRAINING_PRIOR;
        double negative = (1 - q) * (1 - share) / (1 - TRAINING_PRIOR);
        return positive / (positive + negative);
    }
}
