package org.malariastream.classifier.model.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Patient-level splits: every cell of a patient lands in the same part, so a model is always
 * measured on people it has never seen.
 *
 * <p>Stratified: patients with parasitized cells and patients without are assigned separately;
 * within each group patients are shuffled with the seed, then taken largest first and each given
 * to the part furthest below its target share of that group's cells. The result is deterministic
 * for a seed and keeps both the class mix and the cell counts close to the requested fractions.
 */
public final class PatientSplit {

    private PatientSplit() {}

    /** Train / validation / test parts. */
    public record Split(List<CellFile> train, List<CellFile> validation, List<CellFile> test) {}

    /** One cross-validation fold: {@code test} is the held-out part, {@code rest} the others. */
    public record Fold(int index, List<CellFile> rest, List<CellFile> test) {}

    /** Splits into train / validation / test with the given validation and test fractions. */
    public static Split trainValidationTest(List<CellFile> files, double validation, double test, long seed) {
        if (validation < 0 || test < 0 || validation + test >= 1) {
            throw new IllegalArgumentException("fractions must be >= 0 and sum below 1");
        }
        List<List<CellFile>> parts = split(files, new double[] {1 - validation - test, validation, test}, seed);
        return new Split(parts.get(0), parts.get(1), parts.get(2));
    }

    /**
     * The cells of a seeded, stratified {@code share} of the patients (all of them for a share of 1): a smaller
     * training set of whole patients, for learning curves.
     */
    public static List<CellFile> share(List<CellFile> files, double share, long seed) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        return share == 1 ? files : split(files, new double[] {share, 1 - share}, seed).get(0);
    }

    /** Patient-grouped k-fold cross-validation folds. */
    public static List<Fold> kFold(List<CellFile> files, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 folds: " + k);
        }
        double[] fractions = new double[k];
        java.util.Arrays.fill(fractions, 1.0 / k);
        List<List<CellFile>> parts = split(files, fractions, seed);
        List<Fold> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<CellFile> rest = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    rest.addAll(parts.get(j));
                }
            }
            folds.add(new Fold(i, rest, parts.get(i)));
        }
        return folds;
    }

    /** Assigns patients to parts of the given fractions; returns the files of each part in input order. */
    public static List<List<CellFile>> split(List<CellFile> files, double[] fractions, long seed) {
        Map<String, Integer> partOf = assignPatients(files, fractions, seed);
        List<List<CellFile>> parts = new ArrayList<>();
        for (int i = 0; i < fractions.length; i++) {
            parts.add(new ArrayList<>());
        }
        for (CellFile f : files) {
            parts.get(partOf.get(f.patient())).add(f);
        }
        return parts;
    }

    /** patient → part index. */
    public static Map<String, Integer> assignPatients(List<CellFile> files, double[] fractions, long seed) {
        Map<String, int[]> counts = new TreeMap<>();
        for (CellFile f : files) {
            counts.computeIfAbsent(f.patient(), p -> new int[2])[f.label().index()]++;
        }
        List<String> infected = new ArrayList<>();
        List<String> healthy = new ArrayList<>();
        counts.forEach((p, c) -> (c[1] > 0 ? infected : healthy).add(p));
        Random random = new Random(seed);
        Map<String, Integer> partOf = new TreeMap<>();
        for (List<String> group : List.of(infected, healthy)) {
            Collections.shuffle(group, random);
            // stable sort keeps the shuffled order among equal sizes
            group.sort(Comparator.comparingInt((String p) -> -(counts.get(p)[0] + counts.get(p)[1])));
            double total = group.stream().mapToInt(p -> counts.get(p)[0] + counts.get(p)[1]).sum();
            double[] assigned = new double[fractions.length];
            for (String p : group) {
                int best = 0;
                double bestDeficit = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < fractions.length; i++) {
                    if (fractions[i] <= 0) {
                        continue;
                    }
                    double deficit = (fractions[i] * total - assigned[i]) / fractions[i];
                    if (deficit > bestDeficit) {
                        bestDeficit = deficit;
                        best = i;
                    }
                }
                assigned[best] += counts.get(p)[0] + counts.get(p)[1];
                partOf.put(p, best);
            }
        }
        return partOf;
    }
}
