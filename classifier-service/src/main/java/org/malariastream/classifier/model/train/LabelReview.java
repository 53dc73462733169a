package org.malariastream.classifier.model.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.malariastream.classifier.model.train.CvPredictions.Row;

/**
 * The cells whose label the out-of-fold predictions of a cross-validation contradict, most confident
 * first: candidates for a second look at the label. Each cell was scored by a model that never trained
 * on it (nor on its patient), so a confident contradiction points at the label as often as at the model.
 * Errors are counted at threshold 0.5 and banded by how far P lies from the label's side.
 */
public final class LabelReview {

    /** Upper edges of the bands of |P - label|: 0.5-0.7, 0.7-0.9, 0.9-1.0 (1.0 = as sure as can be). */
    public static final double[] BAND_EDGES = {0.7, 0.9, 1.0};

    /** A contradicted cell and its P(parasitized) (mean of the first {@code views} views). */
    public record Suspect(Row row, double probability) {

        /** |P - label|: 0.5 at the threshold, 1 when the model is certain of the other class. */
        public double disagreement() {
            return row.parasitized() ? 1 - probability : probability;
        }
    }

    /**
     * @param cells cells reviewed
     * @param parasitizedCalledUninfected labelled parasitized, P below 0.5, most confident first
     * @param uninfectedCalledParasitized labelled uninfected, P 0.5 or above, most confident first
     * @param errorsByPatient patients by their number of contradicted cells, most first
     */
    public record Result(int cells, List<Suspect> parasitizedCalledUninfected, List<Suspect> uninfectedCalledParasitized,
            Map<String, Integer> errorsByPatient) {

        public int errors() {
            return parasitizedCalledUninfected.size() + uninfectedCalledParasitized.size();
        }

        /** How many of {@code suspects} fall in each band of {@link #BAND_EDGES}. */
        public static int[] bands(List<Suspect> suspects) {
            int[] counts = new int[BAND_EDGES.length];
            for (Suspect s : suspects) {
                int b = 0;
                while (b < BAND_EDGES.length - 1 && s.disagreement() >= BAND_EDGES[b]) {
                    b++;
                }
                counts[b]++;
            }
            return counts;
        }
    }

    /** Most confident contradiction first; ties by the cell's key, so that the order never depends on input order. */
    private static final Comparator<Suspect> MOST_CONFIDENT =
            Comparator.comparingDouble(Suspect::disagreement).reversed().thenComparing(s -> s.row().key());

    private LabelReview() {}

    /**
     * {@code n} of {@code suspects} drawn at random (all of them if there are no more), most confident first.
     * The most confident contradictions are the likeliest label errors by construction; a random draw shows
     * what the contradictions are typically like. The same suspects and seed draw the same cells.
     */
    public static List<Suspect> randomDraw(List<Suspect> suspects, int n, long seed) {
        List<Suspect> shuffled = new ArrayList<>(suspects);
        shuffled.sort(MOST_CONFIDENT); // so that the draw depends on the cells and the seed, not on their order
        Collections.shuffle(shuffled, new Random(seed));
        List<Suspect> drawn = new ArrayList<>(shuffled.subList(0, Math.min(n, shuffled.size())));
        drawn.sort(MOST_CONFIDENT);
        return drawn;
    }

    /** Reviews {@code rows} with P the mean of their first {@code views} views (1, 2, 4 or 8). */
    public static Result review(Collection<Row> rows, int views) {
        List<Suspect> missedParasites = new ArrayList<>();
        List<Suspect> falseParasites = new ArrayList<>();
        Map<String, Integer> byPatient = new LinkedHashMap<>();
        float[][] all = rows.stream().map(Row::views).toArray(float[][]::new);
        float[] p = CrossValidation.average(all, views);
        int i = 0;
        for (Row r : rows) {
            double prob = p[i++];
            boolean called = prob >= 0.5;
            if (called != r.parasitized()) {
                (r.parasitized() ? missedParasites : falseParasites).add(new Suspect(r, prob));
                byPatient.merge(r.patient(), 1, Integer::sum);
            }
        }
        missedParasites.sort(MOST_CONFIDENT);
        falseParasites.sort(MOST_CONFIDENT);
        Map<String, Integer> sorted = new LinkedHashMap<>();
        byPatient.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Result(rows.size(), missedParasites, falseParasites, sorted);
    }
}
