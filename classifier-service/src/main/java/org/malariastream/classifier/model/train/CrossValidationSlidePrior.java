package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.eval.Metrics;
import org.malariastream.classifier.model.eval.SlidePrior;
import org.malariastream.classifier.model.train.CvPredictions.Row;

/**
 * What the slide-aware adjustment ({@link SlidePrior}) gives, measured on a cross-validation's
 * predictions: every fold scored with 1 view at threshold 0.5 as the model gave it, adjusted with the
 * default sharpening, and adjusted with the sharpening that scored best on the <em>other</em> folds'
 * cells, so that no fold's figure comes from a choice made on that fold. Slides lie within one fold,
 * since folds split by patient. Each fold also gets the slide error of the estimated shares themselves, to
 * compare with counting the adjusted cells at one half (what {@code evaluate} and the metrics service report),
 * and the figures of the cells adjusted to each slide's labelled share at the default sharpening: no method,
 * but the bound on what a better estimate of the share could add to these predictions.
 */
public final class CrossValidationSlidePrior {

    public static final String REPORT = "slide_prior_report.json";
    /** The sharpenings tried by default. */
    public static final double[] GRID = {1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0};
    public static final String AS_GIVEN = "tta1_t050";
    public static final String DEFAULT = "slide_default";
    public static final String CHOSEN = "slide_chosen_on_other_folds";
    /** The cells adjusted to each slide's labelled share ({@link SlidePrior#adjustToLabelledShares}): a bound. */
    public static final String LABELLED_SHARE = "slide_labelled_share_bound";
    /** The slide error of the estimated shares at the default sharpening (rather than of cells counted at 0.5). */
    public static final String SHARE_ERROR = "estimated_share_slide_mae_pp";

    private CrossValidationSlidePrior() {}

    /** Scores the predictions (a report directory or a predictions file); writes {@link #REPORT} into {@code outDir}. */
    public static ObjectNode run(Path predictions, double[] grid, Path outDir) throws IOException {
        if (grid.length == 0) {
            throw new IllegalArgumentException("no sharpening to try");
        }
        Path file = CvPredictions.resolve(predictions);
        Map<String, Row> rows = CvPredictions.read(file);
        TreeMap<Integer, Fold> folds = new TreeMap<>();
        rows.values().forEach(r -> folds.computeIfAbsent(r.fold(), k -> new Fold()).add(r));
        if (folds.size() < 2) {
            throw new IllegalArgumentException(file + " holds " + folds.size()
                    + " fold(s): choosing the sharpening on other folds needs at least 2 (cv-merge the folds first)");
        }
        // correct calls per fold and sharpening, to choose on the other folds
        Map<Integer, long[]> correct = new TreeMap<>();
        folds.forEach((n, fold) -> {
            long[] c = new long[grid.length];
            for (int g = 0; g < grid.length; g++) {
                c[g] = fold.correct(SlidePrior.adjust(fold.p(), fold.slides(), grid[g]).probabilities());
            }
            correct.put(n, c);
        });

        ObjectNode report = ModelSpec.JSON.createObjectNode();
        report.put("predictions", file.toString());
        report.set("grid", ModelSpec.JSON.valueToTree(grid));
        report.put("default_sharpen", SlidePrior.DEFAULT_SHARPEN);
        report.put("pseudo_cells_per_class", SlidePrior.PSEUDO_CELLS); // reports before it was added counted none
        ArrayNode foldNodes = report.putArray("fold_results");
        Map<String, List<Metrics>> byVariant = new LinkedHashMap<>();
        List<Double> shareErrors = new ArrayList<>();
        folds.forEach((n, fold) -> {
            double chosen = grid[bestOnOtherFolds(correct, n)];
            ObjectNode node = foldNodes.addObject();
            node.put("fold", n);
            node.put("cells", fold.size());
            node.put("chosen_sharpen", chosen);
            float[] p = fold.p();
            boolean[] y = fold.y();
            String[] slides = fold.slides();
            // the default adjustment serves both its figures and the error of its estimated shares
            SlidePrior.Result atDefault = SlidePrior.adjust(p, slides, SlidePrior.DEFAULT_SHARPEN);
            ObjectNode test = node.putObject("test");
            put(test, byVariant, AS_GIVEN, Metrics.compute(p, y, slides, 0.5));
            put(test, byVariant, DEFAULT, Metrics.compute(atDefault.probabilities(), y, slides, 0.5));
            put(test, byVariant, CHOSEN, SlidePrior.metrics(p, y, slides, chosen));
            float[] bound = SlidePrior.adjustToLabelledShares(p, y, slides, SlidePrior.DEFAULT_SHARPEN).probabilities();
            put(test, byVariant, LABELLED_SHARE, Metrics.compute(bound, y, slides, 0.5));
            double shareError = SlidePrior.shareMaePp(atDefault, y, slides);
            node.put(SHARE_ERROR, shareError);
            shareErrors.add(shareError);
        });
        report.set("summary", CrossValidation.summary(byVariant));
        report.put(SHARE_ERROR + "_mean", shareErrors.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        Files.createDirectories(outDir);
        ModelSpec.JSON.writeValue(outDir.resolve(REPORT).toFile(), report);
        return report;
    }

    /** The grid index with the most correct calls over all folds but {@code fold}; ties go to the first. */
    static int bestOnOtherFolds(Map<Integer, long[]> correct, int fold) {
        int best = 0;
        long bestCount = -1;
        int size = correct.values().iterator().next().length;
        for (int g = 0; g < size; g++) {
            long count = 0;
            for (Map.Entry<Integer, long[]> e : correct.entrySet()) {
                if (e.getKey() != fold) {
                    count += e.getValue()[g];
                }
            }
            if (count > bestCount) {
                bestCount = count;
                best = g;
            }
        }
        return best;
    }

    private static void put(ObjectNode node, Map<String, List<Metrics>> byVariant, String key, Metrics m) {
        node.set(key, ModelSpec.JSON.valueToTree(m));
        byVariant.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
    }

    /** The test cells of one fold: 1-view probability, label and slide. */
    private static final class Fold {
        private final List<Row> rows = new ArrayList<>();

        void add(Row r) {
            rows.add(r);
        }

        int size() {
            return rows.size();
        }

        float[] p() {
            return CrossValidation.average(rows.stream().map(Row::views).toArray(float[][]::new), 1);
        }

        boolean[] y() {
            boolean[] y = new boolean[rows.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = rows.get(i).parasitized();
            }
            return y;
        }

        String[] slides() {
            return rows.stream().map(Row::knownSlide).toArray(String[]::new);
        }

        long correct(float[] adjusted) {
            long n = 0;
            for (int i = 0; i < adjusted.length; i++) {
                n += (adjusted[i] >= 0.5) == rows.get(i).parasitized() ? 1 : 0;
            }
            return n;
        }
    }
}
