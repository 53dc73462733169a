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
import org.malariastream.classifier.model.train.CvPredictions.Row;

/**
 * What averaging the P(parasitized) of independently trained models would give, measured on
 * cross-validations of the same folds (same split seed and data, any recipe, seed or input size):
 * every fold is scored for each member and for the members' mean probability, with 1 and 8 views at
 * threshold 0.5 (the validation predictions are not kept, so no validation threshold), and the test
 * errors all members share are counted, since no average of them can mend those.
 */
public final class CrossValidationEnsemble {

    public static final String REPORT = "ensemble_report.json";
    static final String[] VARIANTS = {"tta1_t050", "tta8_t050"};
    private static final int VIEWS = CvPredictions.VIEWS;

    private CrossValidationEnsemble() {}

    /**
     * Scores the members (report directories holding {@code cv_predictions.csv}, or predictions files
     * such as {@code cv_predictions_unaveraged.csv}) and their average; writes {@link #REPORT} and the
     * averaged predictions into {@code outDir}.
     */
    public static ObjectNode run(List<Path> members, Path outDir) throws IOException {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members.size());
        }
        List<Path> files = members.stream().map(CvPredictions::resolve).toList();
        List<Map<String, Row>> rows = new ArrayList<>();
        for (Path f : files) {
            rows.add(CvPredictions.read(f));
        }
        Map<String, Row> first = rows.get(0);
        for (int m = 1; m < rows.size(); m++) {
            requireSameCells(files.get(0), first, files.get(m), rows.get(m));
        }
        TreeMap<Integer, List<String>> byFold = new TreeMap<>();
        first.values().forEach(r -> byFold.computeIfAbsent(r.fold(), k -> new ArrayList<>()).add(r.key()));

        ObjectNode report = ModelSpec.JSON.createObjectNode();
        ArrayNode from = report.putArray("members");
        files.forEach(f -> from.add(f.toString()));
        report.put("threshold", 0.5);
        ArrayNode foldNodes = report.putArray("fold_results");
        List<Map<String, List<Metrics>>> memberVariants = new ArrayList<>();
        rows.forEach(r -> memberVariants.add(new LinkedHashMap<>()));
        Map<String, List<Metrics>> ensembleVariants = new LinkedHashMap<>();
        Map<String, Row> averaged = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> fold : byFold.entrySet()) {
            List<String> keys = fold.getValue();
            ObjectNode node = foldNodes.addObject();
            node.put("fold", fold.getKey());
            node.put("cells", keys.size());
            boolean[] y = new boolean[keys.size()];
            String[] slides = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                Row r = first.get(keys.get(i));
                y[i] = r.parasitized();
                slides[i] = r.knownSlide();
            }
            ArrayNode memberNodes = node.putArray("members");
            List<boolean[]> wrong = new ArrayList<>();
            float[][] mean = new float[keys.size()][VIEWS];
            for (int m = 0; m < rows.size(); m++) {
                ObjectNode mn = memberNodes.addObject();
                float[][] views = views(rows.get(m), keys);
                for (String variant : VARIANTS) {
                    Metrics metrics = score(views, variant, y, slides);
                    mn.set(variant, ModelSpec.JSON.valueToTree(metrics));
                    memberVariants.get(m).computeIfAbsent(variant, k -> new ArrayList<>()).add(metrics);
                }
                wrong.add(errors(CrossValidation.average(views, 1), y));
                for (int i = 0; i < keys.size(); i++) {
                    for (int v = 0; v < VIEWS; v++) {
                        mean[i][v] += views[i][v] / rows.size();
                    }
                }
            }
            ObjectNode en = node.putObject("ensemble");
            for (String variant : VARIANTS) {
                Metrics metrics = score(mean, variant, y, slides);
                en.set(variant, ModelSpec.JSON.valueToTree(metrics));
                ensembleVariants.computeIfAbsent(variant, k -> new ArrayList<>()).add(metrics);
            }
            ObjectNode errorNode = node.putObject("tta1_t050_errors");
            ArrayNode perMember = errorNode.putArray("members");
            wrong.forEach(w -> perMember.add(count(w)));
            errorNode.put("shared_by_all", count(sharedByAll(wrong)));
            errorNode.put("ensemble", count(errors(CrossValidation.average(mean, 1), y)));
            for (int i = 0; i < keys.size(); i++) {
                Row r = first.get(keys.get(i));
                averaged.put(r.key(), new Row(r.file(), r.label(), r.patient(), r.slide(), r.fold(), mean[i]));
            }
        }
        ObjectNode summary = report.putObject("summary");
        summary.set("ensemble", CrossValidation.summary(ensembleVariants));
        ArrayNode memberSummaries = summary.putArray("members");
        memberVariants.forEach(v -> memberSummaries.add(CrossValidation.summary(v)));
        Files.createDirectories(outDir);
        ModelSpec.JSON.writeValue(outDir.resolve(REPORT).toFile(), report);
        CvPredictions.write(outDir.resolve(CvPredictions.FILE), averaged.values());
        return report;
    }

    private static void requireSameCells(Path a, Map<String, Row> ra, Path b, Map<String, Row> rb) {
        int differ = 0;
        String example = null;
        for (Row r : ra.values()) {
            Row o = rb.get(r.key());
            if (o == null || o.fold() != r.fold()) {
                differ++;
                example = example != null ? example : r.key() + (o == null ? " is missing" : " is in fold " + o.fold()
                        + " there, " + r.fold() + " here");
            }
        }
        if (differ > 0 || ra.size() != rb.size()) {
            throw new IllegalArgumentException(String.format("%s and %s did not test the same cells in the same folds"
                    + " (%d vs %d cells, %d differ%s): run the members with the same --split-seed, data and folds",
                    a, b, ra.size(), rb.size(), differ, example == null ? "" : ", e.g. " + example));
        }
    }

    private static float[][] views(Map<String, Row> member, List<String> keys) {
        return keys.stream().map(k -> member.get(k).views()).toArray(float[][]::new);
    }

    private static Metrics score(float[][] views, String variant, boolean[] y, String[] slides) {
        int count = "tta1_t050".equals(variant) ? 1 : VIEWS;
        return Metrics.compute(CrossValidation.average(views, count), y, slides, 0.5);
    }

    private static boolean[] errors(float[] p, boolean[] y) {
        boolean[] wrong = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            wrong[i] = (p[i] >= 0.5) != y[i];
        }
        return wrong;
    }

    private static boolean[] sharedByAll(List<boolean[]> wrong) {
        boolean[] all = wrong.get(0).clone();
        for (boolean[] w : wrong.subList(1, wrong.size())) {
            for (int i = 0; i < all.length; i++) {
                all[i] &= w[i];
            }
        }
        return all;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
