package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.eval.SlidePrior;
import org.malariastream.classifier.model.train.CrossValidationSlidePrior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cv-slide-prior}: what adjusting each cell to its slide's share gives, from cross-validation predictions. */
@Command(name = "cv-slide-prior", mixinStandardHelpOptions = true,
        description = {
            "Measures the slide-aware adjustment (evaluate --slide-prior) on a cross-validation's predictions"
                    + " (a report directory of train --folds or cv-merge, or a predictions file): each fold with 1 view"
                    + " at threshold 0.5 as the model gave it, adjusted with the default sharpening ("
                    + SlidePrior.DEFAULT_SHARPEN + "), and adjusted with the sharpening that scored best on the other"
                    + " folds' cells. A last line per fold adjusts each cell to its slide's labelled share instead:"
                    + " not a method, but the bound on what a better estimate of the share could give."},
        footer = {"", "Example:", "  cv-slide-prior target/cv --out target/cv-slide"})
public final class CvSlidePriorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PREDICTIONS", description = "Report directory holding cv_predictions.csv, or the file.")
    Path predictions;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write slide_prior_report.json.")
    Path out;

    @Option(names = "--sharpen", paramLabel = "A", split = ",",
            description = "Sharpenings to choose from (default: 1, 1.25, 1.5, 1.75, 2, 2.5, 3).")
    double[] grid = CrossValidationSlidePrior.GRID;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::measure);
    }

    private static final String SHARE_LABEL = "slide error of the estimated shares";

    private int measure() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        ObjectNode report = CrossValidationSlidePrior.run(predictions, grid, out);
        pw.println("accuracy / AUC / F1 / slide error (pp), 1 view at threshold 0.5");
        List<String> variants = List.of(CrossValidationSlidePrior.AS_GIVEN, CrossValidationSlidePrior.DEFAULT,
                CrossValidationSlidePrior.CHOSEN, CrossValidationSlidePrior.LABELLED_SHARE);
        List<String> labels = List.of("as given", "slide-aware, sharpen " + SlidePrior.DEFAULT_SHARPEN,
                "slide-aware, sharpen chosen on the other folds",
                "bound: each slide's labelled share, sharpen " + SlidePrior.DEFAULT_SHARPEN);
        for (JsonNode fold : report.get("fold_results")) {
            pw.printf("fold %d (%d cells; chosen sharpen %s)%n", fold.get("fold").asInt(), fold.get("cells").asInt(),
                    fold.get("chosen_sharpen").asText());
            for (int v = 0; v < variants.size(); v++) {
                pw.printf("  %-48s %s%n", labels.get(v), CliSupport.figures(fold.get("test").get(variants.get(v)), null));
            }
            pw.printf("  %-48s %.2f pp%n", SHARE_LABEL, fold.get(CrossValidationSlidePrior.SHARE_ERROR).asDouble());
        }
        pw.println("mean over the folds");
        for (int v = 0; v < variants.size(); v++) {
            pw.printf("  %-48s %s%n", labels.get(v), CliSupport.figures(report.get("summary").get(variants.get(v)), "mean"));
        }
        pw.printf("  %-48s %.2f pp%n", SHARE_LABEL, report.get(CrossValidationSlidePrior.SHARE_ERROR + "_mean").asDouble());
        pw.println("wrote " + out.resolve(CrossValidationSlidePrior.REPORT));
        pw.flush();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new CvSlidePriorCommand()).execute(args));
    }
}
