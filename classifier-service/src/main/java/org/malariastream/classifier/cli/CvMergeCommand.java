package org.malariastream.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.train.CrossValidationMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cv-merge}: one cross-validation report from folds that ran in separate sittings. */
@Command(name = "cv-merge", mixinStandardHelpOptions = true,
        description = {
            "Merges the reports of one cross-validation whose folds ran in separate sittings or processes"
                    + " (train --folds K --from-fold F --only-folds 1 --report-dir DIR) into one cv_report.json"
                    + " with the per-fold and mean/sd figures of every variant, and one cv_predictions.csv.",
            "Reports of different cross-validations (fold count, recipe, data) or a fold given twice are refused."},
        footer = {"", "Example:",
            "  cv-merge target/cv-1 target/cv-2 target/cv-3 target/cv-4 target/cv-5 --out target/cv"})
public final class CvMergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Report directories (each holds a cv_report.json).")
    List<Path> reports;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the merged report.")
    Path out;

    @Option(names = "--variant", defaultValue = "tta1_tval",
            description = "Variant to print per fold (default: ${DEFAULT-VALUE}: 1 view, threshold from validation).")
    String variant;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::merge);
    }

    private int merge() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        ObjectNode merged = CrossValidationMerge.merge(reports, out);
        List<Integer> missing = CrossValidationMerge.missingFolds(merged);
        pw.printf("merged %d of %d folds%s into %s%n", merged.get("folds_run").asInt(), merged.get("folds").asInt(),
                missing.isEmpty() ? "" : " (missing: " + missing + ", so this is a partial estimate)",
                out.resolve(CrossValidationMerge.REPORT));
        for (String v : new String[] {variant, "unaveraged_" + variant}) {
            JsonNode mean = merged.get("summary").get(v);
            if (mean == null) {
                continue;
            }
            pw.printf("%s: accuracy / AUC / F1 / slide error (pp)%n", v);
            for (JsonNode fold : merged.get("fold_results")) {
                JsonNode m = fold.get("test").get(v);
                if (m != null) {
                    pw.printf("  fold %d  %s%n", fold.get("fold").asInt(), CliSupport.figures(m, null));
                }
            }
            pw.printf("  mean    %s  (sd %s; %d folds)%n", CliSupport.figures(mean, "mean"),
                    CliSupport.figures(mean, "sd"), mean.get("folds").asInt());
        }
        pw.flush();
        if (merged.get("summary").get(variant) == null) {
            throw new IllegalArgumentException("no variant " + variant + " to print in these reports (they have "
                    + variantNames(merged.get("summary")) + "); the merged report is written all the same");
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new CvMergeCommand()).execute(args));
    }

    private static List<String> variantNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
