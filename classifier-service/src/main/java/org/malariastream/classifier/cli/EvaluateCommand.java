package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.Locations;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.eval.Evaluator;
import org.malariastream.classifier.model.eval.Metrics;
import org.malariastream.classifier.model.eval.SlidePrior;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: scores a model on a directory of labelled cells. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {
            "Runs a cell model on every image of a directory in the NIH layout (DIR/Parasitized/*.png,"
                    + " DIR/Uninfected/*.png) through the serving path and prints accuracy, ROC AUC,"
                    + " F1 / precision / sensitivity for PARASITIZED, specificity, the confusion matrix and the"
                    + " per-slide parasitaemia error (mean absolute difference in percentage points between"
                    + " predicted and labelled parasitized share, slides with >= 10 cells).",
            "Files that are not decodable images are skipped and counted."},
        footer = {"", "Example:", "  evaluate --images ../shared/data/malaria-cells/cell_images --json r.json"})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder with model.json (default: $" + Locations.ENV_MODEL + ", else <repo>/models/"
                    + Locations.DEFAULT_MODEL + ").")
    Path model;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the figures as JSON (keys count, accuracy, auc, f1, precision, sensitivity,"
                    + " specificity, confusion, slide_mae_pp, ...).")
    Path json;

    @Option(names = "--slide-prior", description = "Also report the figures with each cell's probability adjusted to"
            + " its slide's parasitized share, estimated from the slide's cells (decisions then depend on the whole"
            + " slide; cells whose file name carries no slide stay as they are).")
    boolean slidePrior;

    @Option(names = "--slide-prior-sharpen", paramLabel = "A", defaultValue = "" + SlidePrior.DEFAULT_SHARPEN,
            description = "Logit scale applied before the slide adjustment (default: ${DEFAULT-VALUE}); implies"
                    + " --slide-prior.")
    double sharpen;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::evaluate);
    }

    private int evaluate() throws Exception {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be >= 1");
        }
        if (!(sharpen > 0) || Double.isInfinite(sharpen)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--slide-prior-sharpen must be > 0");
        }
        Path dir = data.imagesDir(spec.commandLine());
        Path modelDir = Locations.model(model);
        if (!Files.exists(modelDir.resolve(CellModel.SPEC_FILE)) && !Files.isRegularFile(modelDir)) {
            throw new IllegalArgumentException("no model at " + modelDir.toAbsolutePath()
                    + " (pass --model DIR or set " + Locations.ENV_MODEL + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        CellDataset dataset = CellDataset.scan(dir);
        Evaluator.Result result;
        try (CellModel cellModel = CellModel.load(modelDir)) {
            ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName("evaluate")
                    .setInitialMax(dataset.files().size()).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000).continuousUpdate().setMaxRenderedLength(100).build();
            try {
                result = Evaluator.evaluate(cellModel, dataset, batchSize, bar == null ? null : bar::stepBy);
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            Metrics m = result.metrics();
            out.printf("model        %s %s (%s, input %d px, %d view(s), threshold %.3f)%n",
                    cellModel.spec().name(), cellModel.spec().version(), modelDir, cellModel.spec().inputSize(),
                    cellModel.spec().ttaViews(), m.threshold());
            out.printf("images       %s: %d scored, %d skipped%n", dir, m.count(), result.skipped().size());
            out.printf("accuracy     %s%n", CliSupport.format(m.accuracy()));
            out.printf("ROC AUC      %s%n", CliSupport.format(m.auc()));
            out.printf("F1 (parasitized)  %s   precision %s   sensitivity %s   specificity %s%n",
                    CliSupport.format(m.f1()), CliSupport.format(m.precision()), CliSupport.format(m.sensitivity()),
                    CliSupport.format(m.specificity()));
            out.printf("confusion    actual Parasitized: %d called parasitized, %d called uninfected%n",
                    m.confusion().truePositives(), m.confusion().falseNegatives());
            out.printf("             actual Uninfected:  %d called parasitized, %d called uninfected%n",
                    m.confusion().falsePositives(), m.confusion().trueNegatives());
            out.printf("slide parasitaemia error  %s pp (mean absolute, %d slides with >= %d cells)%n",
                    Double.isNaN(m.slideMaePp()) ? "n/a" : String.format("%.2f", m.slideMaePp()), m.slides(),
                    Metrics.MIN_SLIDE_CELLS);
            out.printf("throughput   %.0f images/s end to end (read, decode, preprocess, infer; batch %d)%n",
                    result.imagesPerSecond(), batchSize);
            boolean wanted = slidePrior || spec.commandLine().getParseResult().hasMatchedOption("--slide-prior-sharpen");
            Metrics slideAware = wanted ? result.slideAware(sharpen) : null;
            if (slideAware != null) {
                out.printf("slide-aware  (each cell adjusted to its slide's estimated share, sharpen %s, threshold 0.5)%n",
                        sharpen);
                out.printf("             accuracy %s   ROC AUC %s   F1 %s   slide error %s pp%n",
                        CliSupport.format(slideAware.accuracy()), CliSupport.format(slideAware.auc()),
                        CliSupport.format(slideAware.f1()),
                        Double.isNaN(slideAware.slideMaePp()) ? "n/a" : String.format("%.2f", slideAware.slideMaePp()));
            }
            out.flush();
            if (json != null) {
                ObjectNode node = ModelSpec.JSON.valueToTree(m);
                node.put("skipped", result.skipped().size());
                node.put("images_per_s", result.imagesPerSecond());
                node.put("seconds", result.seconds());
                node.put("batch_size", batchSize);
                node.put("model", modelDir.toAbsolutePath().normalize().toString());
                node.put("model_name", cellModel.spec().name() + " " + cellModel.spec().version());
                node.put("images", dir.toAbsolutePath().normalize().toString());
                if (slideAware != null) {
                    ObjectNode slideNode = node.putObject("slide_aware");
                    slideNode.put("sharpen", sharpen);
                    slideNode.put("pseudo_cells_per_class", SlidePrior.PSEUDO_CELLS);
                    slideNode.setAll((ObjectNode) ModelSpec.JSON.valueToTree(slideAware));
                }
                if (json.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(json.toAbsolutePath().getParent());
                }
                ModelSpec.JSON.writeValue(json.toFile(), node);
                out.println("wrote " + json);
            }
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvaluateCommand()).execute(args));
    }
}
