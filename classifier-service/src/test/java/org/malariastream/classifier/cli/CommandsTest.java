package org.malariastream.classifier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.train.Augmentation;
import org.malariastream.classifier.testutil.MessyDataset;
import org.malariastream.classifier.testutil.SharedData;
import picocli.CommandLine;

class CommandsTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void inspectCountsClassesAndSkippedFilesAndDrawsAGrid() throws Exception {
        Path data = MessyDataset.create(tmp.resolve("data"), 4);
        Path grid = tmp.resolve("grid.png");
        Run r = run(new InspectCommand(), "--images", data.toString(), "--grid", grid.toString(), "--per-class", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Parasitized  4 cells").contains("Uninfected   4 cells")
                .contains("skipped      " + MessyDataset.JUNK_FILES + " file(s)").contains("patients");
        assertThat(ImageIO.read(grid.toFile()).getWidth()).isGreaterThan(100);
    }

    @Test
    void reviewLabelsRanksContradictedCellsMostConfidentFirstAndDrawsThem() throws Exception {
        java.util.List<String> sick;
        java.util.List<String> healthy;
        try (var p = Files.list(SharedData.images().resolve("Parasitized"));
                var u = Files.list(SharedData.images().resolve("Uninfected"))) {
            sick = p.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().limit(3).toList();
            healthy = u.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().limit(3).toList();
        }
        Path csv = tmp.resolve("cv_predictions.csv");
        Files.writeString(csv, String.join("\n",
                "file,label,patient,slide,fold,v0,v1,v2,v3,v4,v5,v6,v7",
                row(sick.get(0), "Parasitized", 0.02f, 0.02f),
                row(sick.get(1), "Parasitized", 0.35f, 0.35f),
                row(sick.get(2), "Parasitized", 0.9f, 0.9f),
                row("C0P0ThinF_IMG_0_cell_0.png", "Parasitized", 0.01f, 0.01f), // not in the images folder
                row(healthy.get(0), "Uninfected", 0.75f, 0.75f),
                row(healthy.get(1), "Uninfected", 0.1f, 0.1f),
                row(healthy.get(2), "Uninfected", 0.6f, 0.2f)) + "\n");
        Path grid = tmp.resolve("suspects.png");
        Path list = tmp.resolve("suspects.csv");
        Run r = run(new ReviewLabelsCommand(), csv.toString(), "--images", SharedData.images().toString(),
                "--grid", grid.toString(), "--csv", list.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("7 cells, 5 contradicted at 0.5")
                .containsPattern("labelled parasitized +1 +0 +2 +\\(3\\)")
                .containsPattern("labelled uninfected +1 +1 +0 +\\(2\\)")
                .contains("(1 image(s) not found or not decodable");
        java.util.List<String> rows = Files.readAllLines(list);
        assertThat(rows).hasSize(6);
        assertThat(rows.subList(1, 6).stream().map(l -> l.split(",")[0]).toList()).containsExactly(
                "C0P0ThinF_IMG_0_cell_0.png", sick.get(0), sick.get(1), healthy.get(0), healthy.get(2));
        java.awt.image.BufferedImage png = ImageIO.read(grid.toFile());
        assertThat(png.getWidth()).as("two cells in the widest row").isEqualTo(2 * (CellGrid.TILE + 4) + 4);

        Run eight = run(new ReviewLabelsCommand(), csv.toString(), "--views", "8");
        assertThat(eight.code()).as(eight.err()).isZero();
        assertThat(eight.out()).as("8 views average the last cell down to 0.25").contains("7 cells, 4 contradicted");
        Path drawnGrid = tmp.resolve("drawn.png");
        Run drawn = run(new ReviewLabelsCommand(), csv.toString(), "--images", SharedData.images().toString(),
                "--random", "--top", "1", "--grid", drawnGrid.toString());
        assertThat(drawn.code()).as(drawn.err()).isZero();
        assertThat(drawn.out()).contains("labelled parasitized, drawn at random",
                "labelled uninfected, drawn at random");
        assertThat(drawn.out().lines().filter(l -> l.startsWith("  P ")).count()).as("one cell per direction")
                .isEqualTo(2);
        assertThat(ImageIO.read(drawnGrid.toFile()).getWidth()).as("one cell per row").isEqualTo(CellGrid.TILE + 8);
        Run notPredictions = run(new ReviewLabelsCommand(), Files.createDirectories(tmp.resolve("no-cv")).toString());
        assertThat(notPredictions.code()).isEqualTo(1);
        assertThat(notPredictions.err()).contains("no predictions file");
    }

    /** A predictions line whose first view is {@code first} and the other seven {@code rest}. */
    private static String row(String file, String label, float first, float rest) {
        StringBuilder sb = new StringBuilder(file + "," + label + "," + file.split("P|N|T")[0] + ",IMG_0,1," + first);
        for (int v = 1; v < 8; v++) {
            sb.append(',').append(rest);
        }
        return sb.toString();
    }

    @Test
    void evaluateWritesTheIssueKeysAndCountsSkippedFiles() throws Exception {
        Path data = MessyDataset.create(tmp.resolve("data"), 6);
        Path json = tmp.resolve("r.json");
        Run r = run(new EvaluateCommand(), "--images", data.toString(), "--model", Locations.model(null).toString(),
                "--json", json.toString(), "--no-progress");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("accuracy").contains("ROC AUC").contains("images/s");
        JsonNode node = ModelSpec.JSON.readTree(json.toFile());
        for (String key : new String[] {"count", "accuracy", "auc", "f1", "precision", "sensitivity", "specificity",
                "confusion", "slide_mae_pp", "skipped", "images_per_s"}) {
            assertThat(node.has(key)).as(key).isTrue();
        }
        assertThat(node.get("count").asInt()).isEqualTo(12);
        assertThat(node.get("skipped").asInt()).isEqualTo(MessyDataset.JUNK_FILES);
        assertThat(node.get("confusion").get("tp").asLong() + node.get("confusion").get("fn").asLong()).isEqualTo(6);
        assertThat(node.has("slide_aware")).as("only on request").isFalse();

        Run slideAware = run(new EvaluateCommand(), "--images", data.toString(), "--model",
                Locations.model(null).toString(), "--json", json.toString(), "--no-progress",
                "--slide-prior-sharpen", "1.5");
        assertThat(slideAware.code()).as(slideAware.err()).isZero();
        assertThat(slideAware.out()).contains("slide-aware").contains("sharpen 1.5");
        JsonNode adjusted = ModelSpec.JSON.readTree(json.toFile()).get("slide_aware");
        assertThat(adjusted.get("sharpen").asDouble()).isEqualTo(1.5);
        assertThat(adjusted.get("pseudo_cells_per_class").asDouble()).isEqualTo(0.5);
        assertThat(adjusted.get("count").asInt()).isEqualTo(12);
        assertThat(adjusted.get("threshold").asDouble()).isEqualTo(0.5);
        Run badSharpen = run(new EvaluateCommand(), "--images", data.toString(), "--slide-prior-sharpen", "0");
        assertThat(badSharpen.code()).isEqualTo(2);
        assertThat(badSharpen.err()).contains("--slide-prior-sharpen must be > 0");
    }

    @Test
    void benchmarkReportsImagesPerSecondPerSizeAndBatch() throws Exception {
        Path data = MessyDataset.create(tmp.resolve("data"), 4);
        Run r = run(new BenchmarkCommand(), "--images", data.toString(), "--count", "8", "--batch-sizes", "1,4",
                "--sizes", "96,64", "--repeats", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("input  96 px:  batch 1 \\d+ img/s  batch 4 \\d+ img/s")
                .containsPattern("input  64 px:");
    }

    @Test
    void missingImagesDirectoryIsAUsageErrorWithAClearMessage() {
        Run r = run(new EvaluateCommand(), "--images", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("images directory not found");
        Run bad = run(new TrainCommand(), "--images", tmp.toString(), "--tta", "3");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--tta");
        Run jitter = run(new TrainCommand(), "--images", tmp.toString(), "--colour-jitter", "1");
        assertThat(jitter.code()).isEqualTo(2);
        assertThat(jitter.err()).contains("colour jitter must be in [0, 1), got 1.0");
        Run plain = run(new TrainCommand(), "--images", tmp.toString(), "--no-augment", "--rotation", "45");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.err()).contains("--no-augment trains on the cells as they are; drop --rotation");
    }

    @Test
    void missingModelIsAClearError() throws Exception {
        Path data = MessyDataset.create(tmp.resolve("data"), 1);
        Run r = run(new EvaluateCommand(), "--images", data.toString(), "--model", tmp.resolve("none").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no model at");
    }

    @Test
    void tinyTrainRunWritesALoadableModelFolderWithReportAndPlots() throws Exception {
        Path out = tmp.resolve("model");
        Run r = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "90",
                "--input-size", "64", "--head-epochs", "1", "--epochs", "1", "--trainable-from", "14",
                "--validation-fraction", "0.25", "--test-fraction", "0.25", "--out", out.toString(), "--no-progress");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("model written to").contains("test patients: accuracy");
        for (String f : new String[] {"backbone.pt", "head.f32", "model.json", "report/training_report.json",
                "report/loss.png", "report/metrics.png", "report/roc.png", "report/confusion.png"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        JsonNode model = ModelSpec.JSON.readTree(out.resolve("model.json").toFile());
        assertThat(model.get("input_size").asInt()).isEqualTo(64);
        assertThat(model.get("reproduce").asText()).contains("--limit 90");
        assertThat(model.has("colour_reference")).as("colours as decoded").isFalse();
        assertThat(model.get("training_data").get("digest").asText()).startsWith("sha256:");
        try (CellModel m = CellModel.load(out); CellClassifier c = m.newClassifier()) {
            var p = c.predict(java.util.List.of(Files.readAllBytes(SharedData.first("Uninfected", 1).get(0))));
            assertThat(p.get(0).ok()).isTrue();
            assertThat(p.get(0).probabilityParasitized()).isBetween(0f, 1f);
        }
    }

    @Test
    void withNoValidationOrTestPatientsEveryCellTrainsAndTheModelSaysSo() throws Exception {
        Path out = tmp.resolve("model-all");
        Run r = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "40",
                "--input-size", "64", "--head-epochs", "0", "--epochs", "2", "--trainable-from", "14", "--mixup", "0.2",
                "--drop-hardest", "0.1", "--stage-lr-decay", "0.8", "--colour-jitter", "0.3", "--dropout", "0.2",
                "--weight-decay", "0.05", "--colour-normalise", "--validation-fraction", "0", "--test-fraction", "0", "--out", out.toString(), "--no-progress");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("train 40 cells, validation 0, test 0").contains("no test patients")
                .doesNotContain("val loss");
        JsonNode model = ModelSpec.JSON.readTree(out.resolve("model.json").toFile());
        assertThat(model.get("threshold").asDouble()).isEqualTo(0.5);
        assertThat(model.get("threshold_method").asText()).startsWith("0.5: no validation patients");
        assertThat(model.has("validation")).isFalse();
        assertThat(model.has("test")).isFalse();
        assertThat(model.get("training_data").get("train_cells").asInt()).isEqualTo(40);
        assertThat(model.get("training").get("mixup_alpha").asDouble()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(model.get("training").get("drop_hardest").asDouble()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(model.get("training").get("augmentation").get("colour").asDouble()).isEqualTo(0.3);
        assertThat(model.get("training").get("augmentation").get("max_zoom").asDouble()).as("the rest as the default")
                .isEqualTo(Augmentation.DEFAULT.maxZoom());
        assertThat(model.get("training").get("stage_lr_decay").asDouble()).isCloseTo(0.8, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(model.get("training").get("dropout").asDouble()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(model.get("training").get("weight_decay").asDouble()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(model.get("training").get("colour_normalise").asBoolean()).isTrue();
        assertThat(ModelSpec.read(out.resolve("model.json")).colourReference()).as("serving normalises as training did")
                .containsExactly(org.malariastream.classifier.model.preprocess.ColourNormalisation.REFERENCE);
        assertThat(model.get("normalisation").asText()).contains("colour_reference");
        assertThat(model.get("best_epoch").asInt()).as("the last epoch stands").isEqualTo(2);
        assertThat(model.get("images_per_s").get("batch_8").asDouble()).as("measured on training cells").isPositive();
        assertThat(out.resolve("report/loss.png")).isRegularFile();
        assertThat(out.resolve("report/metrics.png")).as("no validation figures to plot").doesNotExist();
        try (CellModel m = CellModel.load(out); CellClassifier c = m.newClassifier()) {
            var p = c.predict(java.util.List.of(Files.readAllBytes(SharedData.first("Parasitized", 1).get(0))));
            assertThat(p.get(0).probabilityParasitized()).isBetween(0f, 1f);
        }
    }

    @Test
    void aTrainShareTrainsOnFewerPatientsAndTestsTheSameOnes() throws Exception {
        JsonNode[] folds = new JsonNode[2];
        String[] shares = {"1", "0.5"};
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("cv-share-" + i);
            Run r = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "80",
                    "--input-size", "64", "--head-epochs", "1", "--epochs", "0", "--folds", "3", "--only-folds", "1",
                    "--train-share", shares[i], "--report-dir", dir.toString(), "--no-progress");
            assertThat(r.code()).as(r.err() + r.out()).isZero();
            JsonNode report = ModelSpec.JSON.readTree(dir.resolve("cv_report.json").toFile());
            assertThat(report.get("config").get("train_share").asDouble()).isEqualTo(Double.parseDouble(shares[i]));
            folds[i] = report.get("fold_results").get(0);
        }
        int all = folds[0].get("train_cells").asInt(), half = folds[1].get("train_cells").asInt();
        assertThat(half).as("half the training patients").isBetween(all / 4, all * 3 / 4);
        assertThat(folds[1].get("validation_cells")).isEqualTo(folds[0].get("validation_cells"));
        assertThat(folds[1].get("test_patients")).isEqualTo(folds[0].get("test_patients"));
        assertThat(run(new TrainCommand(), "--images", SharedData.images().toString(), "--train-share", "0").err())
                .contains("train share must be in (0, 1]");
    }

    @Test
    void crossValidationFoldsCanRunInSittingsOfTheirOwnAndMergeIntoOneReport() throws Exception {
        Path dir = tmp.resolve("cv");
        Run r = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "60",
                "--input-size", "64", "--head-epochs", "1", "--epochs", "0", "--folds", "3", "--from-fold", "2",
                "--only-folds", "1", "--report-dir", dir.toString(), "--no-progress");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("fold 2/3").doesNotContain("fold 1/3").doesNotContain("fold 3/3");
        JsonNode report = ModelSpec.JSON.readTree(dir.resolve("cv_report.json").toFile());
        assertThat(report.get("first_fold").asInt()).isEqualTo(2);
        assertThat(report.get("folds_run").asInt()).isEqualTo(1);
        assertThat(report.get("fold_results")).hasSize(1);
        assertThat(report.get("fold_results").get(0).get("fold").asInt()).isEqualTo(2);
        java.util.List<String> rows = Files.readAllLines(dir.resolve("cv_predictions.csv"));
        assertThat(rows).hasSizeGreaterThan(1);
        assertThat(rows.subList(1, rows.size())).allSatisfy(row -> assertThat(row.split(",")[4]).isEqualTo("2"));

        // the other two folds in sittings of their own, then one report of all three
        Path[] dirs = {tmp.resolve("cv-1"), dir, tmp.resolve("cv-3")};
        for (int f : new int[] {1, 3}) {
            Run other = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "60",
                    "--input-size", "64", "--head-epochs", "1", "--epochs", "0", "--folds", "3", "--from-fold",
                    String.valueOf(f), "--only-folds", "1", "--report-dir", dirs[f - 1].toString(), "--no-progress");
            assertThat(other.code()).as(other.err() + other.out()).isZero();
        }
        Path all = tmp.resolve("cv-all");
        Run partial = run(new CvMergeCommand(), dirs[2].toString(), dirs[0].toString(), "--out", all.toString());
        assertThat(partial.code()).as(partial.err()).isZero();
        assertThat(partial.out()).contains("merged 2 of 3 folds (missing: [2]");
        Run merge = run(new CvMergeCommand(), dirs[2].toString(), dirs[0].toString(), dirs[1].toString(),
                "--out", all.toString());
        assertThat(merge.code()).as(merge.err()).isZero();
        assertThat(merge.out()).contains("merged 3 of 3 folds into").doesNotContain("missing");
        JsonNode merged = ModelSpec.JSON.readTree(all.resolve("cv_report.json").toFile());
        double sum = 0;
        for (int f = 0; f < 3; f++) {
            JsonNode fold = merged.get("fold_results").get(f);
            assertThat(fold.get("fold").asInt()).isEqualTo(f + 1);
            JsonNode own = ModelSpec.JSON.readTree(dirs[f].resolve("cv_report.json").toFile()).get("fold_results").get(0);
            assertThat(fold).isEqualTo(own);
            sum += fold.get("test").get("tta1_tval").get("accuracy").asDouble();
        }
        JsonNode mean = merged.get("summary").get("tta1_tval");
        assertThat(mean.get("folds").asInt()).isEqualTo(3);
        assertThat(mean.get("accuracy").get("mean").asDouble()).isCloseTo(sum / 3, org.assertj.core.api.Assertions.within(1e-12));
        java.util.List<String> pooled = Files.readAllLines(all.resolve("cv_predictions.csv"));
        assertThat(pooled).hasSize(61).filteredOn(row -> row.startsWith("file,")).hasSize(1);
        assertThat(pooled.subList(1, 61).stream().map(row -> row.split(",")[0]).distinct()).hasSize(60);
        assertThat(pooled.subList(1, 61).stream().map(row -> row.split(",")[4])).isSorted();

        // the slide-aware figures from the pooled predictions are those each fold's training scored
        Path slideAware = tmp.resolve("cv-slide");
        Run slides = run(new CvSlidePriorCommand(), all.toString(), "--out", slideAware.toString(), "--sharpen", "1,1.25,3");
        assertThat(slides.code()).as(slides.err()).isZero();
        assertThat(slides.out()).contains("fold 3 (").contains("chosen sharpen").contains("mean over the folds");
        JsonNode slideReport = ModelSpec.JSON.readTree(slideAware.resolve("slide_prior_report.json").toFile());
        for (int f = 0; f < 3; f++) {
            JsonNode trained = merged.get("fold_results").get(f).get("test");
            JsonNode fromPredictions = slideReport.get("fold_results").get(f).get("test");
            assertThat(fromPredictions.get("tta1_t050")).isEqualTo(trained.get("tta1_t050"));
            assertThat(fromPredictions.get("slide_default")).isEqualTo(trained.get("tta1_slide"));
            assertThat(slideReport.get("fold_results").get(f).has("estimated_share_slide_mae_pp")).isTrue();
            assertThat(fromPredictions.get("slide_labelled_share_bound").get("count").asLong())
                    .isEqualTo(trained.get("tta1_t050").get("count").asLong());
        }
        assertThat(slideReport.has("estimated_share_slide_mae_pp_mean")).isTrue();
        assertThat(slideReport.get("pseudo_cells_per_class").asDouble()).isEqualTo(0.5);
        assertThat(slides.out()).contains("slide error of the estimated shares")
                .contains("bound: each slide's labelled share");
        Run oneFold = run(new CvSlidePriorCommand(), dir.toString(), "--out", tmp.resolve("z").toString());
        assertThat(oneFold.code()).isEqualTo(1);
        assertThat(oneFold.err()).contains("holds 1 fold(s)");

        // a fold written before ema_decay, mixup_alpha, drop_hardest, stage_lr_decay, train_share and split_seed were recorded
        // merges with folds of the same recipe written now, since it ran with their defaults
        Path older = tmp.resolve("cv-3-older");
        Files.createDirectories(older);
        ObjectNode olderReport = (ObjectNode) ModelSpec.JSON.readTree(dirs[2].resolve("cv_report.json").toFile());
        ((ObjectNode) olderReport.get("config")).remove(java.util.List.of("ema_decay", "mixup_alpha", "drop_hardest",
                "stage_lr_decay", "train_share", "split_seed"));
        ModelSpec.JSON.writeValue(older.resolve("cv_report.json").toFile(), olderReport);
        Run withOlder = run(new CvMergeCommand(), dirs[0].toString(), dirs[1].toString(), older.toString(),
                "--out", tmp.resolve("cv-all-older").toString(), "--variant", "no-such-variant");
        assertThat(withOlder.out()).contains("merged 3 of 3 folds into");
        assertThat(withOlder.err()).contains("no variant no-such-variant").contains("the merged report is written");
        ((ObjectNode) olderReport.get("config")).put("mixup_alpha", 0.2);
        ModelSpec.JSON.writeValue(older.resolve("cv_report.json").toFile(), olderReport);
        Run notDefault = run(new CvMergeCommand(), dirs[0].toString(), older.toString(), "--out",
                tmp.resolve("x").toString());
        assertThat(notDefault.code()).isEqualTo(1);
        assertThat(notDefault.err()).contains("config differs (mixup_alpha 0.0 vs 0.2)");

        Run twice = run(new CvMergeCommand(), dirs[1].toString(), dir.toString(), "--out", tmp.resolve("x").toString());
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).contains("fold 2 is in both");
        Path otherRecipe = tmp.resolve("cv-other");
        Run differentRecipe = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "60",
                "--input-size", "64", "--head-epochs", "1", "--epochs", "0", "--folds", "3", "--from-fold", "1",
                "--only-folds", "1", "--seed", "8", "--split-seed", "7", "--report-dir", otherRecipe.toString(),
                "--no-progress");
        assertThat(differentRecipe.code()).as(differentRecipe.err()).isZero();
        JsonNode otherFold = ModelSpec.JSON.readTree(otherRecipe.resolve("cv_report.json").toFile()).get("fold_results").get(0);
        JsonNode ownFold = ModelSpec.JSON.readTree(dirs[0].resolve("cv_report.json").toFile()).get("fold_results").get(0);
        assertThat(otherFold.get("test_patients")).as("--split-seed keeps the split").isEqualTo(ownFold.get("test_patients"));
        assertThat(otherFold.get("validation_cells")).isEqualTo(ownFold.get("validation_cells"));
        assertThat(Files.readAllLines(otherRecipe.resolve("cv_predictions.csv")))
                .as("another --seed trains another model").isNotEqualTo(Files.readAllLines(dirs[0].resolve("cv_predictions.csv")));
        assertEnsembleOf(dirs[0], otherRecipe, ownFold);
        Run notSameCells = run(new CvEnsembleCommand(), dirs[0].toString(), dirs[2].toString(), "--out",
                tmp.resolve("ens-x").toString());
        assertThat(notSameCells.code()).isEqualTo(1);
        assertThat(notSameCells.err()).contains("did not test the same cells in the same folds");
        Run mixed = run(new CvMergeCommand(), otherRecipe.toString(), dir.toString(), "--out", tmp.resolve("y").toString());
        assertThat(mixed.code()).isEqualTo(1);
        assertThat(mixed.err()).contains("not folds of one cross-validation").contains("seed 8 vs 7");

        Run bad = run(new TrainCommand(), "--images", SharedData.images().toString(), "--folds", "3", "--from-fold", "4");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--from-fold must be between 1 and --folds");
        Run outWithFolds = run(new TrainCommand(), "--images", SharedData.images().toString(), "--folds", "3",
                "--out", tmp.resolve("m").toString());
        assertThat(outWithFolds.code()).isEqualTo(2);
        assertThat(outWithFolds.err()).contains("--report-dir");
    }

    /** cv-ensemble of two runs of one fold: members as their own reports say, the average as computed here. */
    private void assertEnsembleOf(Path a, Path b, JsonNode foldOfA) throws Exception {
        Path out = tmp.resolve("ens");
        Run ens = run(new CvEnsembleCommand(), a.toString(), b.toString(), "--out", out.toString());
        assertThat(ens.code()).as(ens.err()).isZero();
        assertThat(ens.out()).contains("fold 1 (").contains("ensemble").contains("made by all");
        JsonNode fold = ModelSpec.JSON.readTree(out.resolve("ensemble_report.json").toFile()).get("fold_results").get(0);
        assertThat(fold.get("members").get(0).get("tta1_t050")).isEqualTo(foldOfA.get("test").get("tta1_t050"));
        java.util.Map<String, float[]> pa = firstViews(a.resolve("cv_predictions.csv"));
        java.util.Map<String, float[]> pb = firstViews(b.resolve("cv_predictions.csv"));
        int right = 0;
        int wrongA = 0;
        int wrongBoth = 0;
        for (var e : pa.entrySet()) {
            boolean parasitized = e.getKey().startsWith("Parasitized/");
            float mean = (e.getValue()[0] + pb.get(e.getKey())[0]) / 2;
            right += (mean >= 0.5f) == parasitized ? 1 : 0;
            boolean aWrong = (e.getValue()[0] >= 0.5f) != parasitized;
            wrongA += aWrong ? 1 : 0;
            wrongBoth += aWrong && (pb.get(e.getKey())[0] >= 0.5f) != parasitized ? 1 : 0;
        }
        assertThat(fold.get("ensemble").get("tta1_t050").get("accuracy").asDouble())
                .isCloseTo((double) right / pa.size(), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(fold.get("tta1_t050_errors").get("members").get(0).asInt()).isEqualTo(wrongA);
        assertThat(fold.get("tta1_t050_errors").get("shared_by_all").asInt()).isEqualTo(wrongBoth);
        assertThat(Files.readAllLines(out.resolve("cv_predictions.csv"))).hasSize(pa.size() + 1);
    }

    private static java.util.Map<String, float[]> firstViews(Path csv) throws Exception {
        java.util.Map<String, float[]> out = new java.util.HashMap<>();
        java.util.List<String> rows = Files.readAllLines(csv);
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            out.put(c[1] + "/" + c[0], new float[] {Float.parseFloat(c[5])});
        }
        return out;
    }

    @Test
    void withAWeightAverageCrossValidationAndTrainingAlsoScoreTheUnaveragedWeightsOfTheSameRun() throws Exception {
        Path dir = tmp.resolve("cv-ema");
        Run r = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "60",
                "--input-size", "64", "--epochs", "1", "--trainable-from", "14", "--ema", "0.9", "--folds", "3",
                "--only-folds", "1", "--report-dir", dir.toString(), "--no-progress");
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("averaged weights: val loss");
        JsonNode report = ModelSpec.JSON.readTree(dir.resolve("cv_report.json").toFile());
        assertThat(report.get("config").get("ema_decay").asDouble()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(report.get("summary").has("tta1_tval")).isTrue();
        assertThat(report.get("summary").has("unaveraged_tta1_tval")).isTrue();
        JsonNode fineTune = report.get("fold_results").get(0).get("history").get(1);
        assertThat(fineTune.get("averaged_val_loss").isNumber()).as(fineTune.toString()).isTrue();
        assertThat(Files.readAllLines(dir.resolve("cv_predictions_unaveraged.csv")))
                .hasSameSizeAs(Files.readAllLines(dir.resolve("cv_predictions.csv")));

        Path out = tmp.resolve("model-ema");
        Run t = run(new TrainCommand(), "--images", SharedData.images().toString(), "--limit", "90",
                "--input-size", "64", "--epochs", "1", "--trainable-from", "14", "--ema", "0.9",
                "--validation-fraction", "0.25", "--test-fraction", "0.25", "--out", out.toString(), "--no-progress");
        assertThat(t.code()).as(t.err() + t.out()).isZero();
        assertThat(t.out()).contains("without the weight average (same run): test accuracy");
        JsonNode training = ModelSpec.JSON.readTree(out.resolve("report/training_report.json").toFile());
        assertThat(training.get("unaveraged_test").get("count").asInt()).isEqualTo(training.get("test").get("count").asInt());
    }
}
