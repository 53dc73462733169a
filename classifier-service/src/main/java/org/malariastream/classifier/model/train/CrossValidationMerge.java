package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.classifier.model.eval.Metrics;

/**
 * Joins the reports of one cross-validation run in several sittings ({@code --from-fold}, one fold per
 * process) into one report, as if the folds had run in one: the fold results in fold order, the mean and
 * sd of each variant over them, and the predictions files concatenated. Refuses reports of different
 * cross-validations (fold count, recipe, data, validation share) and a fold present twice, since either
 * would make the mean describe nothing.
 */
public final class CrossValidationMerge {

    public static final String REPORT = "cv_report.json";
    static final String[] PREDICTIONS = {CvPredictions.FILE, "cv_predictions_unaveraged.csv"};
    /** What must agree between the reports for their folds to belong to one cross-validation. */
    private static final String[] SAME = {"folds", "validation_fraction", "config", "cells"};

    private CrossValidationMerge() {}

    /** Merges the reports in {@code reportDirs} into {@code outDir}; returns the merged report. */
    public static ObjectNode merge(List<Path> reportDirs, Path outDir) throws IOException {
        if (reportDirs.isEmpty()) {
            throw new IllegalArgumentException("no reports to merge");
        }
        for (Path dir : reportDirs) {
            if (dir.toAbsolutePath().normalize().equals(outDir.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("the merged report would overwrite the one in " + dir
                        + ": pick another output directory");
            }
        }
        List<JsonNode> reports = new ArrayList<>();
        for (Path dir : reportDirs) {
            Path file = dir.resolve(REPORT);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no " + REPORT + " in " + dir);
            }
            reports.add(ModelSpec.JSON.readTree(file.toFile()));
        }
        JsonNode first = reports.get(0);
        TreeMap<Integer, JsonNode> folds = new TreeMap<>();
        Map<Integer, Path> foldFrom = new TreeMap<>();
        int skipped = 0;
        for (int i = 0; i < reports.size(); i++) {
            JsonNode r = reports.get(i);
            for (String key : SAME) {
                JsonNode a = comparable(key, first.path(key)), b = comparable(key, r.path(key));
                if (!a.equals(b)) {
                    throw new IllegalArgumentException(String.format(
                            "%s and %s are not folds of one cross-validation: %s differs%s", reportDirs.get(0),
                            reportDirs.get(i), key, differences(a, b)));
                }
            }
            skipped = Math.max(skipped, r.path("skipped").asInt());
            for (JsonNode fold : r.path("fold_results")) {
                int n = fold.get("fold").asInt();
                if (folds.put(n, fold) != null) {
                    throw new IllegalArgumentException("fold " + n + " is in both " + foldFrom.get(n) + " and "
                            + reportDirs.get(i));
                }
                foldFrom.put(n, reportDirs.get(i));
            }
        }
        Map<String, List<Metrics>> byVariant = new LinkedHashMap<>();
        for (JsonNode fold : folds.values()) {
            Iterator<Map.Entry<String, JsonNode>> it = fold.path("test").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                byVariant.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(ModelSpec.JSON.treeToValue(e.getValue(), Metrics.class));
            }
        }
        ObjectNode merged = ModelSpec.JSON.createObjectNode();
        for (String key : SAME) {
            merged.set(key, first.get(key));
        }
        merged.put("skipped", skipped);
        merged.set("folds_present", ModelSpec.JSON.valueToTree(folds.keySet()));
        merged.put("folds_run", folds.size());
        ArrayNode from = merged.putArray("merged_from");
        reportDirs.forEach(d -> from.add(d.toString()));
        ArrayNode results = merged.putArray("fold_results");
        folds.values().forEach(results::add);
        merged.set("summary", CrossValidation.summary(byVariant));
        Files.createDirectories(outDir);
        ModelSpec.JSON.writeValue(outDir.resolve(REPORT).toFile(), merged);
        // foldFrom is in fold order, so this lists each report once, by its first fold
        List<Path> inFoldOrder = new ArrayList<>(new java.util.LinkedHashSet<>(foldFrom.values()));
        for (String name : PREDICTIONS) {
            concatenate(inFoldOrder, name, outDir.resolve(name));
        }
        return merged;
    }

    /** The folds a merged (or any) report lacks to be complete, e.g. [5] for folds 1-4 of 5. */
    public static List<Integer> missingFolds(JsonNode report) {
        List<Integer> present = new ArrayList<>();
        report.path("fold_results").forEach(f -> present.add(f.get("fold").asInt()));
        List<Integer> missing = new ArrayList<>();
        for (int f = 1; f <= report.path("folds").asInt(); f++) {
            if (!present.contains(f)) {
                missing.add(f);
            }
        }
        return missing;
    }

    /** Concatenates one predictions file of every report, if every report has it (one header). */
    private static void concatenate(List<Path> dirs, String name, Path out) throws IOException {
        Files.deleteIfExists(out);
        if (!dirs.stream().allMatch(d -> Files.isRegularFile(d.resolve(name)))) {
            return;
        }
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            String header = null;
            for (Path dir : dirs) {
                List<String> lines = Files.readAllLines(dir.resolve(name));
                if (lines.isEmpty()) {
                    continue;
                }
                if (header == null) {
                    header = lines.get(0);
                    w.write(header + "\n");
                } else if (!header.equals(lines.get(0))) {
                    throw new IllegalArgumentException(dir.resolve(name) + " has another header than the first " + name);
                }
                for (String line : lines.subList(1, lines.size())) {
                    w.write(line + "\n");
                }
            }
        }
    }

    /**
     * A report's value for {@code key} as it compares: a recipe ({@code config}) written before a field was
     * added to {@link TrainConfig} gets the value every run had before it, so that folds trained by an
     * earlier version of this code merge with folds of the same recipe trained now.
     */
    private static JsonNode comparable(String key, JsonNode value) {
        return key.equals("config") && value.isObject() ? TrainConfig.withEarlierDefaults((ObjectNode) value) : value;
    }

    private static String differences(JsonNode a, JsonNode b) {
        if (!a.isObject() || !b.isObject()) {
            return " (" + a + " vs " + b + ")";
        }
        List<String> keys = new ArrayList<>();
        a.fieldNames().forEachRemaining(k -> {
            if (!a.get(k).equals(b.get(k))) {
                keys.add(k + " " + a.get(k) + " vs " + b.path(k));
            }
        });
        b.fieldNames().forEachRemaining(k -> {
            if (!a.has(k)) {
                keys.add(k + " missing vs " + b.get(k));
            }
        });
        return " (" + String.join(", ", keys) + ")";
    }
}
