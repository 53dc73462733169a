package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.TestTimeViews;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.DecodedCells;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.data.PatientSplit;
import org.malariastream.classifier.model.eval.Metrics;
import org.malariastream.classifier.model.eval.SlidePrior;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patient-grouped k-fold cross-validation of the training recipe. In each fold the held-out
 * patients are the test set; the other patients are split again by patient into training and
 * validation (early stopping, operating threshold). Every test cell is scored under 8 dihedral
 * views, so the figures for 1, 2, 4 and 8 test-time views come from one pass; the threshold of
 * each fold is chosen on that fold's validation patients only. Optionally the seed's recipe
 * (frozen backbone, linear head, 224 px) is measured on the same folds. When training keeps a
 * moving average of the weights, the best un-averaged weights of the same run are scored too
 * (variants {@code unaveraged_*}, {@code cv_predictions_unaveraged.csv}): a paired measure of what
 * the averaging gives.
 */
public final class CrossValidation {

    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);
    public static final int[] VIEW_COUNTS = {1, 2, 4, 8};
    /** The variant of 1 view adjusted to each slide's estimated parasitized share ({@link SlidePrior}). */
    public static final String SLIDE_AWARE = "tta1_slide";

    private CrossValidation() {}

    /** Runs the cross-validation and writes {@code cv_report.json} and {@code cv_predictions.csv} into {@code outDir}. */
    public static ObjectNode run(DecodedCells data, int folds, double validationFraction, TrainConfig config,
            Path backbone, boolean seedRecipe, Path outDir, boolean progress, Consumer<String> say) throws IOException {
        return run(data, folds, 1, folds, validationFraction, config, backbone, seedRecipe, outDir, progress, say);
    }

    /**
     * As above, but runs only {@code runFolds} of the {@code folds} folds from {@code firstFold} (1-based) on: a
     * partial estimate, or one sitting of a cross-validation run in several (the folds are the same in each).
     */
    public static ObjectNode run(DecodedCells data, int folds, int firstFold, int runFolds, double validationFraction,
            TrainConfig config, Path backbone, boolean seedRecipe, Path outDir, boolean progress, Consumer<String> say)
            throws IOException {
        if (firstFold < 1 || firstFold > folds) {
            throw new IllegalArgumentException("first fold must be between 1 and " + folds + ", got " + firstFold);
        }
        int lastFold = Math.min(folds, firstFold - 1 + runFolds);
        Consumer<String> tell = line -> {
            LOG.info(line);
            if (say != null) {
                say.accept(line);
            }
        };
        Files.createDirectories(outDir);
        long started = System.nanoTime();
        List<CellFile> files = data.cells().stream().map(DecodedCell::file).toList();
        List<PatientSplit.Fold> split = PatientSplit.kFold(files, folds, config.splitSeed());
        Map<CellFile, Integer> index = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            index.put(files.get(i), i);
        }
        float[][] seedFeatures = null;
        if (seedRecipe) {
            long t = System.nanoTime();
            tell.accept("seed recipe: extracting 224 px features of " + files.size() + " cells");
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            seedFeatures = SeedRecipe.features(data.cells(), backbone, () -> {
                if (done.incrementAndGet() % 2000 == 0) {
                    tell.accept("seed recipe features: " + done.get() + " of " + files.size());
                }
            });
            tell.accept("seed recipe features took " + Math.round((System.nanoTime() - t) / 1e9) + " s");
        }
        float[][] views = new float[files.size()][];
        float[][] unaveragedViews = new float[files.size()][];
        int[] foldOf = new int[files.size()];
        ObjectNode report = ModelSpec.JSON.createObjectNode();
        report.put("folds", folds);
        report.put("validation_fraction", validationFraction);
        report.set("config", ModelSpec.JSON.valueToTree(config));
        report.put("cells", files.size());
        report.put("skipped", data.skipped().size());
        ArrayNode foldNodes = report.putArray("fold_results");
        Map<String, List<Metrics>> byVariant = new LinkedHashMap<>();
        report.put("first_fold", firstFold);
        report.put("folds_run", lastFold - firstFold + 1);
        for (PatientSplit.Fold fold : split.subList(firstFold - 1, lastFold)) {
            long t0 = System.nanoTime();
            PatientSplit.Split inner = PatientSplit.trainValidationTest(fold.rest(), validationFraction, 0,
                    config.splitSeed() + 1000L * (fold.index() + 1));
            List<DecodedCell> train = config.trainingShareOf(inner.train()).stream()
                    .map(f -> data.cells().get(index.get(f))).toList();
            List<DecodedCell> val = inner.validation().stream().map(f -> data.cells().get(index.get(f))).toList();
            List<DecodedCell> test = fold.test().stream().map(f -> data.cells().get(index.get(f))).toList();
            tell.accept(String.format("fold %d/%d: train %d cells, validation %d, test %d (%d patients)",
                    fold.index() + 1, folds, train.size(), val.size(), test.size(), patients(fold.test()).size()));
            ObjectNode node = foldNodes.addObject();
            node.put("fold", fold.index() + 1);
            node.put("train_cells", train.size());
            node.put("validation_cells", val.size());
            node.put("test_cells", test.size());
            node.set("test_patients", ModelSpec.JSON.valueToTree(patients(fold.test())));
            CellTrainer.Result result = new CellTrainer(config, backbone, progress).train(train, val,
                    s -> tell.accept("fold " + (fold.index() + 1) + " " + s.describe()));
            try (CellNetwork network = result.network()) {
                node.put("best_epoch", result.bestEpoch());
                node.set("history", ModelSpec.JSON.valueToTree(result.history()));
                ObjectNode metrics = node.putObject("test");
                float[][] testViews = score(network, config, val, test, "", metrics, byVariant);
                float[][] unaveraged = null;
                if (result.unaveraged() != null) {
                    CellTrainer.restore(network, result.unaveraged());
                    unaveraged = score(network, config, val, test, "unaveraged_", metrics, byVariant);
                }
                for (int i = 0; i < test.size(); i++) {
                    int k = index.get(test.get(i).file());
                    views[k] = testViews[i];
                    unaveragedViews[k] = unaveraged == null ? null : unaveraged[i];
                    foldOf[k] = fold.index() + 1;
                }
            }
            if (seedFeatures != null) {
                final float[][] sf = seedFeatures;
                float[][] trX = new float[train.size() + val.size()][];
                boolean[] trY = new boolean[trX.length];
                int j = 0;
                for (DecodedCell c : concat(train, val)) {
                    trX[j] = sf[index.get(c.file())];
                    trY[j++] = c.file().label().isParasitized();
                }
                float[][] teX = test.stream().map(c -> sf[index.get(c.file())]).toArray(float[][]::new);
                float[] p = SeedRecipe.fitAndPredict(trX, trY, teX, config.seed());
                add(byVariant, (ObjectNode) node.get("test"), "seed_recipe",
                        Metrics.compute(p, CellTrainer.labelsOf(test), slides(test), 0.5));
            }
            node.put("seconds", (System.nanoTime() - t0) / 1e9);
            tell.accept(String.format("fold %d done in %d s: tta1 at validation threshold: %s", fold.index() + 1,
                    Math.round((System.nanoTime() - t0) / 1e9), node.get("test").get("tta1_tval")));
            write(report, byVariant, outDir, started);
        }
        CvPredictions.write(outDir.resolve(CvPredictions.FILE), rows(files, foldOf, views));
        if (java.util.Arrays.stream(unaveragedViews).anyMatch(java.util.Objects::nonNull)) {
            CvPredictions.write(outDir.resolve("cv_predictions_unaveraged.csv"), rows(files, foldOf, unaveragedViews));
        }
        return write(report, byVariant, outDir, started);
    }

    /**
     * Scores the test cells under 1, 2, 4 and 8 views, at 0.5 and at the threshold chosen on the
     * validation cells, into {@code metrics} as variants {@code <prefix>tta<v>_t050 / _tval}, and 1 view adjusted
     * to each slide's share as {@code <prefix>tta1_slide}; returns the test views.
     */
    private static float[][] score(CellNetwork network, TrainConfig config, List<DecodedCell> val, List<DecodedCell> test,
            String prefix, ObjectNode metrics, Map<String, List<Metrics>> byVariant) {
        float[][] valViews = allViews(network, config, val);
        float[][] testViews = allViews(network, config, test);
        boolean[] valY = CellTrainer.labelsOf(val);
        boolean[] testY = CellTrainer.labelsOf(test);
        String[] slides = slides(test);
        for (int v : VIEW_COUNTS) {
            float[] pv = average(valViews, v);
            float[] pt = average(testViews, v);
            double threshold = Metrics.bestAccuracyThreshold(pv, valY);
            add(byVariant, metrics, prefix + "tta" + v + "_t050", Metrics.compute(pt, testY, slides, 0.5));
            add(byVariant, metrics, prefix + "tta" + v + "_tval", Metrics.compute(pt, testY, slides, threshold));
        }
        add(byVariant, metrics, prefix + SLIDE_AWARE, SlidePrior.metrics(average(testViews, 1), testY, slides,
                SlidePrior.DEFAULT_SHARPEN));
        return testViews;
    }

    private static ObjectNode write(ObjectNode report, Map<String, List<Metrics>> byVariant, Path outDir, long started)
            throws IOException {
        report.set("summary", summary(byVariant));
        report.put("seconds", (System.nanoTime() - started) / 1e9);
        ModelSpec.JSON.writeValue(outDir.resolve("cv_report.json").toFile(), report);
        return report;
    }

    private static void add(Map<String, List<Metrics>> byVariant, ObjectNode node, String key, Metrics m) {
        node.set(key, ModelSpec.JSON.valueToTree(m));
        byVariant.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
    }

    /** mean and sample standard deviation of each figure over the folds, per variant. */
    public static ObjectNode summary(Map<String, List<Metrics>> byVariant) {
        ObjectNode out = ModelSpec.JSON.createObjectNode();
        byVariant.forEach((variant, list) -> {
            ObjectNode v = out.putObject(variant);
            v.put("folds", list.size());
            put(v, "accuracy", list.stream().mapToDouble(Metrics::accuracy).toArray());
            put(v, "auc", list.stream().mapToDouble(Metrics::auc).toArray());
            put(v, "f1", list.stream().mapToDouble(Metrics::f1).toArray());
            put(v, "precision", list.stream().mapToDouble(Metrics::precision).toArray());
            put(v, "sensitivity", list.stream().mapToDouble(Metrics::sensitivity).toArray());
            put(v, "specificity", list.stream().mapToDouble(Metrics::specificity).toArray());
            put(v, "slide_mae_pp", list.stream().mapToDouble(Metrics::slideMaePp).toArray());
            put(v, "threshold", list.stream().mapToDouble(Metrics::threshold).toArray());
        });
        return out;
    }

    private static void put(ObjectNode node, String key, double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
        double var = values.length < 2 ? 0
                : java.util.Arrays.stream(values).map(x -> (x - mean) * (x - mean)).sum() / (values.length - 1);
        ObjectNode n = node.putObject(key);
        n.put("mean", mean);
        n.put("sd", Math.sqrt(var));
    }

    /** P(parasitized) of the 8 dihedral views of each cell. */
    static float[][] allViews(CellNetwork network, TrainConfig config, List<DecodedCell> cells) {
        ModelSpec spec = config.evaluationSpec("cv");
        try (CellClassifier c = CellModel.wrap(spec, network).newClassifier(64)) {
            return c.viewProbabilities(CellTrainer.images(cells), TestTimeViews.transforms(8));
        }
    }

    /** Mean over the first views of {@link TestTimeViews#views(int)} ({@code views[i]} holds all 8 in order 0..7). */
    public static float[] average(float[][] views, int count) {
        int[] which = TestTimeViews.views(count);
        float[] out = new float[views.length];
        for (int i = 0; i < views.length; i++) {
            double s = 0;
            for (int v : which) {
                s += views[i][v];
            }
            out[i] = (float) (s / which.length);
        }
        return out;
    }

    static String[] slides(List<DecodedCell> cells) {
        return cells.stream().map(c -> c.file().knownSlide()).toArray(String[]::new);
    }

    private static TreeSet<String> patients(List<CellFile> files) {
        TreeSet<String> s = new TreeSet<>();
        files.forEach(f -> s.add(f.patient()));
        return s;
    }

    private static List<DecodedCell> concat(List<DecodedCell> a, List<DecodedCell> b) {
        List<DecodedCell> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<CvPredictions.Row> rows(List<CellFile> files, int[] foldOf, float[][] views) {
        List<CvPredictions.Row> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (views[i] != null) {
                CellFile f = files.get(i);
                rows.add(new CvPredictions.Row(f.fileName(), f.label().directory(), f.patient(), f.slide(), foldOf[i], views[i]));
            }
        }
        return rows;
    }
}
