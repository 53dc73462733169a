package org.malariastream.classifier.model.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.malariastream.common.slides.PriorShift;

/**
 * Slide-aware probabilities over a whole dataset: each cell's P(parasitized) adjusted to the parasitized
 * share of its own slide, estimated from the slide's cells ({@link PriorShift}, which says why).
 *
 * <p>A decision then depends on the other cells of the slide, so it needs the slide's cells together
 * (a slide at a time, or its cells seen so far). Cells without a known slide are left as they are.
 */
public final class SlidePrior {

    /** Chosen by leave-one-fold-out cross-validation on two 5-fold runs of different recipes (model card). */
    public static final double DEFAULT_SHARPEN = PriorShift.DEFAULT_SHARPEN;
    /** Pseudo-cells of each class counted with a slide's cells when its share is estimated ({@link PriorShift}). */
    public static final double PSEUDO_CELLS = PriorShift.PSEUDO_CELLS;

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
        return adjust(probability, slides, sharpen, null);
    }

    /**
     * Adjusts every cell to its slide's <em>labelled</em> share, in the form the estimate takes (half a
     * pseudo-cell of each class, {@link #PSEUDO_CELLS}). Not a method, since labels are what a new slide lacks:
     * the bound on what any estimate of the share could give a cell model's probabilities.
     *
     * @param parasitized the label of every cell, in input order
     */
    public static Result adjustToLabelledShares(float[] probability, boolean[] parasitized, String[] slides,
            double sharpen) {
        if (parasitized.length != probability.length || slides.length != probability.length) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        countsBySlide(parasitized, slides).forEach(
                (slide, c) -> shares.put(slide, (c[1] + PSEUDO_CELLS) / (c[0] + 2 * PSEUDO_CELLS)));
        return adjust(probability, slides, sharpen, shares);
    }

    /** Adjusts every cell to {@code givenShares} of its slide, or, where that is null, to the share estimated. */
    private static Result adjust(float[] probability, String[] slides, double sharpen,
            Map<String, Double> givenShares) {
        if (slides.length != probability.length) {
            throw new IllegalArgumentException("arrays differ in length");
        }
        PriorShift.requireValidSharpen(sharpen);
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
                q[j] = PriorShift.sharpened(probability[cells.get(j)], sharpen);
            }
            double share = givenShares == null ? PriorShift.share(q, null) : givenShares.get(slide.getKey());
            for (int j = 0; j < q.length; j++) {
                out[cells.get(j)] = (float) PriorShift.posterior(q[j], share);
            }
            shares.put(slide.getKey(), share);
        }
        return new Result(out, shares);
    }

    /** The figures of the adjusted probabilities at threshold 0.5 (where the two priors' odds meet). */
    public static Metrics metrics(float[] probability, boolean[] parasitized, String[] slides, double sharpen) {
        return Metrics.compute(adjust(probability, slides, sharpen).probabilities(), parasitized, slides, 0.5);
    }

    /**
     * The parasitaemia error of the estimated shares themselves (rather than of the adjusted cells counted at
     * 0.5): the mean over slides with at least {@link Metrics#MIN_SLIDE_CELLS} cells of |estimated share -
     * labelled share|, in percentage points; NaN if no slide has that many.
     */
    public static double shareMaePp(Result adjusted, boolean[] parasitized, String[] slides) {
        double sum = 0;
        int counted = 0;
        for (Map.Entry<String, long[]> e : countsBySlide(parasitized, slides).entrySet()) {
            long[] c = e.getValue();
            if (c[0] >= Metrics.MIN_SLIDE_CELLS) {
                sum += 100 * Math.abs(adjusted.slideShare().get(e.getKey()) - (double) c[1] / c[0]);
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Per slide (cells without one left out): {cells, cells labelled parasitized}. */
    private static Map<String, long[]> countsBySlide(boolean[] parasitized, String[] slides) {
        Map<String, long[]> bySlide = new LinkedHashMap<>();
        for (int i = 0; i < slides.length; i++) {
            if (slides[i] != null) {
                long[] c = bySlide.computeIfAbsent(slides[i], k -> new long[2]);
                c[0]++;
                c[1] += parasitized[i] ? 1 : 0;
            }
        }
        return bySlide;
    }
}
