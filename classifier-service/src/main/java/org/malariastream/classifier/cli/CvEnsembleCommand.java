package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.train.CrossValidationEnsemble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cv-ensemble}: what averaging independently trained models gives, from their cross-validation predictions. */
@Command(name = "cv-ensemble", mixinStandardHelpOptions = true,
        description = {
            "Measures an ensemble before anyone ships one: averages P(parasitized) of the members' cross-validation"
                    + " predictions (each member a report directory of train --folds or cv-merge, or a predictions"
                    + " file such as cv_predictions_unaveraged.csv) and scores every fold for each member and for"
                    + " the average, with 1 and 8 views at threshold 0.5, and counts the errors all members share.",
            "The members must have tested the same cells in the same folds: same data, --folds and --split-seed;"
                    + " recipe, --seed and input size may differ."},
        footer = {"", "Example (two seeds of one recipe on one split):",
            "  train --folds 5 --from-fold 4 --only-folds 1 --seed 7 --report-dir target/s7-4",
            "  train --folds 5 --from-fold 4 --only-folds 1 --seed 8 --split-seed 7 --report-dir target/s8-4",
            "  cv-ensemble target/s7-4 target/s8-4 --out target/ens-4"})
public final class CvEnsembleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MEMBER", arity = "2..*",
            description = "Report directories (each holds a cv_predictions.csv) or predictions files.")
    List<Path> members;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Where to write ensemble_report.json and the averaged cv_predictions.csv.")
    Path out;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::measure);
    }

    private int measure() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        ObjectNode report = CrossValidationEnsemble.run(members, out);
        for (int m = 0; m < members.size(); m++) {
            pw.printf("member %d: %s%n", m + 1, report.get("members").get(m).asText());
        }
        pw.println("accuracy / AUC / F1 / slide error (pp) at threshold 0.5; errors of 1 view");
        for (JsonNode fold : report.get("fold_results")) {
            pw.printf("fold %d (%d cells)%n", fold.get("fold").asInt(), fold.get("cells").asInt());
            for (int m = 0; m < members.size(); m++) {
                line(pw, "  member " + (m + 1), fold.get("members").get(m), null);
            }
            line(pw, "  ensemble", fold.get("ensemble"), null);
            JsonNode errors = fold.get("tta1_t050_errors");
            pw.printf("  errors: members %s, made by all %d, ensemble %d%n", errors.get("members"),
                    errors.get("shared_by_all").asInt(), errors.get("ensemble").asInt());
        }
        JsonNode summary = report.get("summary");
        pw.printf("mean over %d folds%n", report.get("fold_results").size());
        for (int m = 0; m < members.size(); m++) {
            line(pw, "  member " + (m + 1), summary.get("members").get(m), "mean");
        }
        line(pw, "  ensemble", summary.get("ensemble"), "mean");
        pw.printf("report: %s%n", out.resolve(CrossValidationEnsemble.REPORT));
        pw.flush();
        return 0;
    }

    /** One member's (or the ensemble's) figures with 1 and 8 views; {@code stat} "mean" for summary nodes. */
    private static void line(PrintWriter pw, String who, JsonNode variants, String stat) {
        pw.printf("%-11s 1 view %s   8 views %s%n", who, CliSupport.figures(variants.get("tta1_t050"), stat),
                CliSupport.figures(variants.get("tta8_t050"), stat));
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new CvEnsembleCommand()).execute(args));
    }
}
