package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.DecodedCells;
import org.malariastream.classifier.model.train.Augmentation;
import org.malariastream.classifier.model.train.CrossValidation;
import org.malariastream.classifier.model.train.ModelTraining;
import org.malariastream.classifier.model.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: fine-tunes MobileNetV2 on NIH cells, or cross-validates the recipe. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {
            "Fine-tunes the ImageNet MobileNetV2 backbone with a new 2-class head on cells in the NIH layout.",
            "Stage 1 trains the head on the frozen backbone; stage 2 also trains the backbone from stage"
                    + " --trainable-from up at a lower rate, with warm-up + cosine schedule and early stopping on"
                    + " the validation loss. Augmentation: flips, quarter turns, small zoom and shift, colour jitter.",
            "Without --folds: splits patients into train / validation / test, trains, picks the operating threshold"
                    + " on validation, measures the test patients and writes the model folder (--out): backbone.pt,"
                    + " head.f32, model.json and report/ (training_report.json, loss/metrics/ROC/confusion PNGs).",
            "The defaults are the recipe of the committed model (models/malaria-mnv2-v4): 128 px, whole backbone,"
                    + " 8 fine-tuning epochs run to the end of the schedule; v4 is that recipe fitted on every cell"
                    + " (--validation-fraction 0 --test-fraction 0) after cross-validation measured it.",
            "With --folds K: patient-grouped K-fold cross-validation of the same recipe; writes cv_report.json"
                    + " (per-fold and mean/sd figures for 1/2/4/8 test-time views) to --report-dir; folds run in"
                    + " separate sittings (--from-fold) join into one report with cv-merge."},
        footer = {"", "Examples:",
            "  train --images ../shared/data/malaria-cells/cell_images --out models/malaria-mnv2-v4 --model-version 4"
                    + " --validation-fraction 0 --test-fraction 0",
            "  train --images ../shared/data/malaria-cells/cell_images --folds 5 --seed-recipe --report-dir target/cv"})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Option(names = "--out", paramLabel = "DIR", description = "Model folder to write (default: models/malaria-mnv2-dev).")
    Path out;

    @Option(names = "--backbone", paramLabel = "FILE",
            description = "TorchScript MobileNetV2 features (default: $" + Locations.ENV_BACKBONE + ", else <shared>/"
                    + Locations.BACKBONE_RELATIVE + ").")
    Path backbone;

    @Option(names = "--input-size", defaultValue = "128", description = "Square input size in pixels (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--head-epochs", defaultValue = "1", description = "Stage-1 epochs, backbone frozen (default: ${DEFAULT-VALUE}).")
    int headEpochs;

    @Option(names = "--epochs", defaultValue = "8", description = "Stage-2 (fine-tuning) epochs at most (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--head-lr", defaultValue = "0.002", description = "Stage-1 learning rate, Adam (default: ${DEFAULT-VALUE}).")
    float headLr;

    @Option(names = "--lr", defaultValue = "0.001", description = "Stage-2 peak learning rate of the head (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--backbone-lr-factor", defaultValue = "0.3",
            description = "Stage-2 backbone learning rate relative to --lr (default: ${DEFAULT-VALUE}).")
    float backboneLrFactor;

    @Option(names = "--stage-lr-decay", paramLabel = "FACTOR", defaultValue = "1",
            description = "Layer-wise rate decay: each backbone stage below the last learns at FACTOR times the rate of"
                    + " the one above, e.g. 0.9 (stage 0 then at 0.15x the last's) (default: ${DEFAULT-VALUE} = off).")
    float stageLrDecay;

    @Option(names = "--trainable-from", defaultValue = "0",
            description = "First backbone stage (features.N, 0..18) fine-tuned in stage 2; 19 keeps it frozen (default: ${DEFAULT-VALUE}).")
    int trainableFrom;

    @Option(names = "--label-smoothing", defaultValue = "0.1", description = "Label smoothing (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--patience", defaultValue = "8",
            description = "Stop after this many epochs without a lower validation loss (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0",
            description = "Keep a moving average of the weights while fine-tuning, with this decay (e.g. 0.999; it ramps"
                    + " up from 0.1); validation then picks among the averaged weights and the model keeps them"
                    + " (default: ${DEFAULT-VALUE} = off: 0.999 gave no reliable gain on CV folds 3-5, see the model card).")
    float emaDecay;

    @Option(names = "--no-augment", description = "Train on the cells as they are: no flips, turns, shifts, zoom or colour"
            + " jitter (so not with --colour-jitter or --rotation).")
    boolean noAugment;

    @Option(names = "--colour-jitter", paramLabel = "A", defaultValue = "0.12",
            description = "Amplitude of the saturation / contrast / brightness jitter of training views: each factor is"
                    + " drawn from [1-A, 1+A] (default: ${DEFAULT-VALUE}).")
    double colourJitter;

    @Option(names = "--rotation", paramLabel = "DEG", defaultValue = "0",
            description = "Also rotate each training view by an angle drawn from [-DEG, DEG] degrees, e.g. 45: with the"
                    + " quarter turns, every angle equally likely (default: ${DEFAULT-VALUE} = quarter turns only).")
    double rotation;

    @Option(names = "--mixup", paramLabel = "ALPHA", defaultValue = "0",
            description = "Blend each training batch's images and labels pairwise with Beta(ALPHA, ALPHA) weights, e.g."
                    + " 0.2 (default: ${DEFAULT-VALUE} = off).")
    float mixup;

    @Option(names = "--drop-hardest", paramLabel = "SHARE", defaultValue = "0",
            description = "Leave the SHARE of each fine-tuning batch's highest-loss cells out of the gradient (likely"
                    + " mislabelled), ramped up over the first half of the fine-tuning epochs, e.g. 0.03"
                    + " (default: ${DEFAULT-VALUE} = off).")
    float dropHardest;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "Zero this share of the pooled features before the head while training, e.g. 0.2"
                    + " (default: ${DEFAULT-VALUE} = off).")
    float dropout;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0",
            description = "Train with AdamW: each step also shrinks every weight by its learning rate times WD, e.g."
                    + " 0.1 (default: ${DEFAULT-VALUE} = plain Adam, no decay).")
    float weightDecay;

    @Option(names = "--adam-own-steps",
            description = "Adam's bias correction counts each parameter's own steps (PyTorch's way), so the backbone"
                    + " starts fine-tuning with Adam's usual first steps (default: off, one count for all parameters,"
                    + " Keras's way, under which the backbone's first fine-tuning steps are up to ~3.7x larger).")
    boolean adamOwnSteps;

    @Option(names = "--sam", paramLabel = "RHO", defaultValue = "0",
            description = "Sharpness-aware minimisation: take each step's gradient at the weights moved RHO uphill along"
                    + " the gradient, which prefers flat minima; twice the training time. 0.01 trains; 0.05, SAM's usual"
                    + " value, sent fine-tuning to chance on a probe (default: ${DEFAULT-VALUE} = off).")
    float samRho;

    @Option(names = "--sam-adaptive",
            description = "With --sam: RHO is relative to each weight's size (ASAM); 0.5, ASAM's usual value, sent"
                    + " fine-tuning to chance on a probe (default: off, one distance for all weights).")
    boolean samAdaptive;

    @Option(names = "--colour-normalise",
            description = "Scale each image's colours so that its median cell colour is a fixed reference before it"
                    + " enters the network (per-image stain normalisation), in training and in the model it writes"
                    + " (default: off, colours as decoded).")
    boolean colourNormalise;

    @Option(names = "--keep-aspect",
            description = "Letterbox each crop into the square input (its longer side spans it, black bands beside"
                    + " the shorter) rather than stretch it, in training and in the model it writes (default: off,"
                    + " stretched).")
    boolean keepAspect;

    @Option(names = "--gce", paramLabel = "Q", defaultValue = "0",
            description = "Train with the generalised cross-entropy (1 - p^Q) / Q rather than cross-entropy: cells the"
                    + " network confidently disagrees with, often mislabelled ones, pull less; Q in (0, 1], e.g. 0.2."
                    + " 0.5 sent fine-tuning to one constant answer on all 5 CV folds (default: ${DEFAULT-VALUE} ="
                    + " cross-entropy).")
    float gceQ;

    @Option(names = "--seed", defaultValue = "7",
            description = "Seed of initialisation, shuffling, augmentation and, unless --split-seed is given, of the"
                    + " patient split and the --limit sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--split-seed", paramLabel = "SEED",
            description = "Seed of the patient split (folds, validation and test patients) and the --limit sample"
                    + " (default: --seed). Several --seed values on one split show run-to-run noise.")
    Long splitSeed;

    @Option(names = "--validation-fraction", defaultValue = "0.15",
            description = "Share of patients for validation (default: ${DEFAULT-VALUE}). 0: no early stopping, the schedule"
                    + " runs to its end and the threshold is 0.5.")
    double validationFraction;

    @Option(names = "--test-fraction", defaultValue = "0.15",
            description = "Share of patients held out for the test figures (default: ${DEFAULT-VALUE}). Both fractions 0:"
                    + " every cell trains the model (the final fit of a recipe measured by cross-validation).")
    double testFraction;

    @Option(names = "--train-share", paramLabel = "S", defaultValue = "1",
            description = "Train on a seeded share S of the training patients, whole patients, stratified (default:"
                    + " ${DEFAULT-VALUE} = all); validation and test patients stay as they are. For learning curves.")
    double trainShare;

    @Option(names = "--tta", defaultValue = "1",
            description = "Test-time views the model averages: 1, 2 (+flip), 4 (quarter turns) or 8 (default: ${DEFAULT-VALUE}).")
    int tta;

    @Option(names = "--folds", paramLabel = "K", description = "Run patient-grouped K-fold cross-validation instead of building a model.")
    Integer folds;

    @Option(names = "--only-folds", paramLabel = "N", description = "With --folds: run only N folds, from --from-fold on (a partial estimate).")
    Integer onlyFolds;

    @Option(names = "--from-fold", paramLabel = "F", defaultValue = "1",
            description = "With --folds: start at fold F (1-based), e.g. to run the folds of one cross-validation in"
                    + " several sittings or processes; the report then holds those folds only (default: ${DEFAULT-VALUE}).")
    int fromFold;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Where cross-validation writes its report (default: target/cv).")
    Path reportDir;

    @Option(names = "--seed-recipe", description = "Also measure the seed's recipe (frozen backbone, linear head, 224 px) on the same patients.")
    boolean seedRecipe;

    @Option(names = "--limit", paramLabel = "N", description = "Use a seeded random sample of N images (quick trials).")
    Integer limit;

    @Option(names = "--name", defaultValue = "malaria-mnv2", description = "Model name in model.json (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version in model.json (default: ${DEFAULT-VALUE}).")
    String modelVersion;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::train);
    }

    private int train() throws Exception {
        CommandLine cmd = spec.commandLine();
        PrintWriter pw = cmd.getOut();
        if (tta != 1 && tta != 2 && tta != 4 && tta != 8) {
            throw new CommandLine.ParameterException(cmd, "--tta must be 1, 2, 4 or 8");
        }
        if (folds != null && folds < 2) {
            throw new CommandLine.ParameterException(cmd, "--folds must be >= 2");
        }
        if (folds != null && out != null) {
            throw new CommandLine.ParameterException(cmd, "--out names a model folder; with --folds no model is kept,"
                    + " the report goes to --report-dir");
        }
        if (folds != null && (fromFold < 1 || fromFold > folds)) {
            throw new CommandLine.ParameterException(cmd, "--from-fold must be between 1 and --folds");
        }
        if (noAugment) {
            for (String option : List.of("--colour-jitter", "--rotation")) {
                if (cmd.getParseResult().hasMatchedOption(option)) {
                    throw new CommandLine.ParameterException(cmd, "--no-augment trains on the cells as they are;"
                            + " drop " + option + ", which would be ignored");
                }
            }
        }
        TrainConfig config;
        try {
            config = new TrainConfig(inputSize, batchSize, headEpochs, epochs, headLr, lr, backboneLrFactor,
                    stageLrDecay, trainableFrom, labelSmoothing, patience, emaDecay, noAugment ? Augmentation.NONE : Augmentation.DEFAULT.withColour(colourJitter).withRotation(rotation), mixup, dropHardest,
                    dropout, weightDecay, adamOwnSteps, samRho, samAdaptive, colourNormalise, keepAspect, gceQ,
                    trainShare, seed, splitSeed != null ? splitSeed : seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        Path dir = data.imagesDir(cmd);
        Path backboneFile = Locations.backbone(backbone, data.shared);
        if (!Files.isRegularFile(backboneFile)) {
            throw new IllegalArgumentException("backbone not found: " + backboneFile.toAbsolutePath()
                    + " (pass --backbone FILE or set " + Locations.ENV_BACKBONE + ")");
        }
        CellDataset dataset = CellDataset.scan(dir);
        if (limit != null && limit < dataset.files().size()) {
            List<CellFile> files = new ArrayList<>(dataset.files());
            Collections.shuffle(files, new Random(config.splitSeed()));
            dataset = new CellDataset(dir, files.subList(0, limit), dataset.skipped());
        }
        pw.printf("images %s: %d parasitized, %d uninfected, %d patients, %d skipped%n", dir,
                dataset.count(org.malariastream.classifier.model.data.CellLabel.PARASITIZED),
                dataset.count(org.malariastream.classifier.model.data.CellLabel.UNINFECTED),
                dataset.patientCounts().size(), dataset.skipped().size());
        pw.flush();
        DecodedCells decoded;
        try (ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName("decode")
                .setInitialMax(dataset.files().size()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .continuousUpdate().setMaxRenderedLength(100).build()) {
            decoded = DecodedCells.decode(dataset, Runtime.getRuntime().availableProcessors(),
                    bar == null ? null : bar::stepBy);
        }
        if (decoded.skipped().size() > dataset.skipped().size()) {
            pw.printf("skipped %d undecodable file(s)%n", decoded.skipped().size() - dataset.skipped().size());
        }
        long t0 = System.nanoTime();
        if (folds != null) {
            Path outDir = reportDir != null ? reportDir : Path.of("target", "cv");
            ObjectNode report = CrossValidation.run(decoded, folds, fromFold, onlyFolds == null ? folds : onlyFolds,
                    validationFraction, config, backboneFile,
                    seedRecipe, outDir, !noProgress, line -> say(pw, line));
            pw.printf("cross-validation (%d folds, %.0f s) -> %s%n", folds, (System.nanoTime() - t0) / 1e9,
                    outDir.resolve("cv_report.json"));
            printSummary(pw, report.get("summary"));
        } else {
            Path outDir = out != null ? out : Path.of("models", "malaria-mnv2-dev");
            String reproduce = "./malaria train " + String.join(" ", ownArguments());
            ObjectNode report = ModelTraining.trainAndWrite(decoded, config, backboneFile, outDir,
                    new ModelTraining.Options(name, modelVersion, validationFraction, testFraction, tta, seedRecipe,
                            reproduce, !noProgress, line -> say(pw, line)));
            pw.printf("model written to %s (%.0f s)%n", outDir, (System.nanoTime() - t0) / 1e9);
            JsonNode test = report.get("test");
            if (test != null) {
                pw.printf("test patients: accuracy %.4f  AUC %.4f  F1 %.4f  slide error %.2f pp  (threshold %.3f)%n",
                        test.get("accuracy").asDouble(), test.get("auc").asDouble(), test.get("f1").asDouble(),
                        test.get("slide_mae_pp").asDouble(), test.get("threshold").asDouble());
            } else {
                pw.println("no test patients (--test-fraction 0): this model has no held-out figures; the recipe's come"
                        + " from cross-validation (--folds)");
            }
            if (report.has("seed_recipe_test")) {
                JsonNode s = report.get("seed_recipe_test");
                pw.printf("seed recipe on the same test patients: accuracy %.4f  AUC %.4f  F1 %.4f  slide error %.2f pp%n",
                        s.get("accuracy").asDouble(), s.get("auc").asDouble(), s.get("f1").asDouble(),
                        s.get("slide_mae_pp").asDouble());
            }
        }
        pw.flush();
        return 0;
    }

    private static void say(PrintWriter pw, String line) {
        pw.println(line);
        pw.flush();
    }

    private static void printSummary(PrintWriter pw, JsonNode summary) {
        pw.printf("%-22s %-17s %-17s %-17s %-17s%n", "variant", "accuracy", "auc", "f1", "slide_mae_pp");
        summary.properties().forEach(e -> {
            JsonNode v = e.getValue();
            pw.printf("%-22s %-17s %-17s %-17s %-17s%n", e.getKey(), ms(v, "accuracy"), ms(v, "auc"), ms(v, "f1"),
                    ms(v, "slide_mae_pp"));
        });
    }

    private static String ms(JsonNode v, String key) {
        return String.format("%.4f ± %.4f", v.get(key).get("mean").asDouble(), v.get(key).get("sd").asDouble());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }

    /** This command's arguments; under the launcher picocli's original arguments start with the command name. */
    private List<String> ownArguments() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return !args.isEmpty() && args.get(0).equals(spec.name()) ? args.subList(1, args.size()) : args;
    }
}
