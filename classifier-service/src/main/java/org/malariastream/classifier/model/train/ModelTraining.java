package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.CellNetwork;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.DatasetDigest;
import org.malariastream.classifier.model.data.DecodedCells;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.data.PatientSplit;
import org.malariastream.classifier.model.eval.Metrics;
import org.malariastream.classifier.model.eval.Throughput;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the model to ship and writes the artefact folder: {@code backbone.pt} (TorchScript),
 * {@code head.f32}, {@code model.json}, and {@code report/} with the JSON report and plots.
 *
 * <p>Patients are split (seeded, stratified) into train / validation / test. Validation drives early
 * stopping and the operating threshold (best validation accuracy for the chosen number of
 * test-time views); the test patients are touched once, for the reported test figures.
 *
 * <p>With no validation and no test patients (both fractions 0) every cell trains the model: the final
 * fit of a recipe whose figures come from cross-validation. The schedule then runs to its end, the
 * threshold is 0.5, and the artefact carries no validation or test figures, since none exist.
 */
public final class ModelTraining {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);
    public static final String BACKBONE_FILE = "backbone.pt";
    public static final String HEAD_FILE = "head.f32";

    private ModelTraining() {}

    /** What to build. */
    public record Options(String name, String version, double validationFraction, double testFraction,
            int ttaViews, boolean seedRecipe, String reproduce, boolean progress, Consumer<String> say) {

        void tell(String line) {
            LOG.info(line);
            if (say != null) {
                say.accept(line);
            }
        }
    }

    public static ObjectNode trainAndWrite(DecodedCells data, TrainConfig config, Path backbone, Path outDir,
            Options options) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(outDir.resolve("report"));
        List<CellFile> files = data.cells().stream().map(DecodedCell::file).toList();
        PatientSplit.Split split = PatientSplit.trainValidationTest(files, options.validationFraction(),
                options.testFraction(), config.splitSeed());
        List<DecodedCell> train = data.select(config.trainingShareOf(split.train()));
        List<DecodedCell> val = data.select(split.validation());
        List<DecodedCell> test = data.select(split.test());
        options.tell(String.format("split by patient: train %d cells, validation %d, test %d",
                train.size(), val.size(), test.size()));
        String digest = DatasetDigest.of(files);

        ObjectNode report = ModelSpec.JSON.createObjectNode();
        CellTrainer.Result result = new CellTrainer(config, backbone, options.progress())
                .train(train, val, s -> options.tell(s.describe()));
        try (CellNetwork network = result.network()) {
            float[][] valViews = CrossValidation.allViews(network, config, val);
            float[][] testViews = test.isEmpty() ? new float[0][] : CrossValidation.allViews(network, config, test);
            boolean[] valY = CellTrainer.labelsOf(val);
            boolean[] testY = CellTrainer.labelsOf(test);
            String[] testSlides = CrossValidation.slides(test);
            float[] pVal = CrossValidation.average(valViews, options.ttaViews());
            double threshold = val.isEmpty() ? 0.5 : Metrics.bestAccuracyThreshold(pVal, valY);
            ObjectNode variants = report.putObject("test_by_variant");
            Metrics headline = null;
            for (int v : CrossValidation.VIEW_COUNTS) {
                if (test.isEmpty()) {
                    break;
                }
                float[] pt = CrossValidation.average(testViews, v);
                double t = Metrics.bestAccuracyThreshold(CrossValidation.average(valViews, v), valY);
                Metrics m = Metrics.compute(pt, testY, testSlides, t);
                variants.set("tta" + v + "_tval", ModelSpec.JSON.valueToTree(m));
                variants.set("tta" + v + "_t050", ModelSpec.JSON.valueToTree(Metrics.compute(pt, testY, testSlides, 0.5)));
                if (v == options.ttaViews()) {
                    headline = m;
                    Charts.roc(Metrics.rocCurve(pt, testY), m.auc(), "ROC on test patients", outDir.resolve("report/roc.png"));
                    Charts.confusion(m.confusion(), String.format("Test patients, threshold %.3f", t),
                            outDir.resolve("report/confusion.png"));
                }
            }
            Charts.loss(result.history(), outDir.resolve("report/loss.png"));
            if (!val.isEmpty()) {
                Charts.metrics(result.history(), outDir.resolve("report/metrics.png"));
            }

            network.writeBackbone(outDir.resolve(BACKBONE_FILE));
            CellNetwork.writeHead(outDir.resolve(HEAD_FILE), network.headWeights());

            Metrics valMetrics = val.isEmpty() ? null : Metrics.compute(pVal, valY, CrossValidation.slides(val), threshold);
            ModelSpec spec = new ModelSpec(options.name(), options.version(), BACKBONE_FILE, HEAD_FILE,
                    CellNetwork.FEATURES, config.inputSize(), ImagePreprocessor.IMAGENET_MEAN,
                    ImagePreprocessor.IMAGENET_STD, threshold, options.ttaViews(), config.colourReference(),
                    config.keepAspect());
            ObjectNode model = ModelSpec.JSON.valueToTree(spec);
            model.put("classes", "index 0 = Uninfected, 1 = Parasitized; output P(parasitized) = softmax(logits)[1]");
            model.put("normalisation", (config.colourNormalise()
                    ? "RGB, each channel scaled so that the crop's median foreground colour is colour_reference, " : "RGB, ")
                    + (config.keepAspect()
                            ? "bilinear resize of the whole crop, aspect kept (longer side = input_size, centred on"
                                    + " black), "
                            : "bilinear resize of the whole crop to input_size x input_size, ")
                    + "x/255, (x - mean) / std, NCHW float32");
            model.put("threshold_method", val.isEmpty()
                    ? "0.5: no validation patients (--validation-fraction 0), P(parasitized) averaged over "
                            + options.ttaViews() + " test-time view(s)"
                    : "the threshold in [0.05, 0.95] (step 0.005) with the best accuracy on the validation patients,"
                            + " P(parasitized) averaged over " + options.ttaViews() + " test-time view(s)");
            if (valMetrics != null) {
                model.set("validation", ModelSpec.JSON.valueToTree(valMetrics));
            }
            if (headline != null) {
                model.set("test", ModelSpec.JSON.valueToTree(headline));
            }
            ObjectNode trainingData = model.putObject("training_data");
            trainingData.put("digest", digest);
            trainingData.put("digest_method", "sha256 of sorted lines '<Class>/<file> <sha256>\\n' of all cells used");
            trainingData.put("cells", files.size());
            trainingData.put("skipped", data.skipped().size());
            trainingData.put("train_cells", train.size());
            trainingData.put("validation_cells", val.size());
            trainingData.put("test_cells", test.size());
            trainingData.put("split", String.format("by patient, stratified, seed %d: %.2f / %.2f / %.2f",
                    config.splitSeed(), 1 - options.validationFraction() - options.testFraction(),
                    options.validationFraction(), options.testFraction()));
            trainingData.set("test_patients", ModelSpec.JSON.valueToTree(patients(split.test())));
            trainingData.set("validation_patients", ModelSpec.JSON.valueToTree(patients(split.validation())));
            model.set("training", ModelSpec.JSON.valueToTree(config));
            model.put("best_epoch", result.bestEpoch());
            model.put("created", Instant.now().toString());
            model.put("reproduce", options.reproduce());

            report.set("config", ModelSpec.JSON.valueToTree(config));
            report.set("history", ModelSpec.JSON.valueToTree(result.history()));
            report.put("best_epoch", result.bestEpoch());
            report.put("threshold", threshold);
            if (valMetrics != null) {
                report.set("validation", ModelSpec.JSON.valueToTree(valMetrics));
            }
            if (headline != null) {
                report.set("test", ModelSpec.JSON.valueToTree(headline));
            }
            report.put("train_seconds", result.trainSeconds());

            if (options.seedRecipe() && !test.isEmpty()) {
                options.tell("seed recipe on the same split (frozen backbone, linear head, 224 px)");
                List<DecodedCell> fit = new ArrayList<>(train);
                fit.addAll(val);
                float[][] fx = SeedRecipe.features(fit, backbone, null);
                float[][] tx = SeedRecipe.features(test, backbone, null);
                float[] p = SeedRecipe.fitAndPredict(fx, CellTrainer.labelsOf(fit), tx, config.seed());
                Metrics seed = Metrics.compute(p, testY, testSlides, 0.5);
                report.set("seed_recipe_test", ModelSpec.JSON.valueToTree(seed));
                model.set("seed_recipe_test", ModelSpec.JSON.valueToTree(seed));
            }
            ModelSpec.JSON.writeValue(outDir.resolve(CellModel.SPEC_FILE).toFile(), model);
            if (result.unaveraged() != null && !test.isEmpty()) {
                // the same run without the weight average, same views and threshold rule: what averaging gave
                CellTrainer.restore(network, result.unaveraged());
                float[] uv = CellTrainer.predict(network, spec, val); // the shipped views only
                float[] ut = CellTrainer.predict(network, spec, test);
                Metrics u = Metrics.compute(ut, testY, testSlides, Metrics.bestAccuracyThreshold(uv, valY));
                report.set("unaveraged_test", ModelSpec.JSON.valueToTree(u));
                options.tell(String.format("without the weight average (same run): test accuracy %.4f, AUC %.4f,"
                        + " F1 %.4f, slide error %.2f pp", u.accuracy(), u.auc(), u.f1(), u.slideMaePp()));
            }
        }
        // Throughput of the written artefact through the serving path.
        try (CellModel shipped = CellModel.load(outDir)) {
            List<byte[]> sample = new ArrayList<>();
            for (DecodedCell c : !test.isEmpty() ? test : !val.isEmpty() ? val : train) {
                if (sample.size() == 512) {
                    break;
                }
                sample.add(Files.readAllBytes(c.file().path()));
            }
            Map<Integer, Double> speed = Throughput.measure(shipped, sample, new int[] {1, 8, 32}, 1);
            ObjectNode s = report.putObject("images_per_s");
            speed.forEach((b, v) -> s.put("batch_" + b, v));
            ObjectNode model = (ObjectNode) ModelSpec.JSON.readTree(outDir.resolve(CellModel.SPEC_FILE).toFile());
            model.set("images_per_s", s.deepCopy());
            ModelSpec.JSON.writeValue(outDir.resolve(CellModel.SPEC_FILE).toFile(), model);
        }
        report.put("seconds", (System.nanoTime() - started) / 1e9);
        ModelSpec.JSON.writeValue(outDir.resolve("report/training_report.json").toFile(), report);
        return report;
    }

    private static TreeSet<String> patients(List<CellFile> files) {
        TreeSet<String> s = new TreeSet<>();
        files.forEach(f -> s.add(f.patient()));
        return s;
    }
}
