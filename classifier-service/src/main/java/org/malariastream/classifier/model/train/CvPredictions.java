package org.malariastream.classifier.model.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.malariastream.classifier.model.data.CellFile;

/**
 * The predictions file of a cross-validation ({@code cv_predictions.csv}): one line per test cell with
 * its label, patient, slide, fold and the P(parasitized) of its 8 dihedral views. Every cell is scored
 * by a model that never saw it, which is what ensembles and label reviews need.
 */
public final class CvPredictions {

    public static final String FILE = "cv_predictions.csv";
    public static final int VIEWS = 8;
    static final String HEADER = "file,label,patient,slide,fold,v0,v1,v2,v3,v4,v5,v6,v7";

    private CvPredictions() {}

    /** One test cell. */
    public record Row(String file, String label, String patient, String slide, int fold, float[] views) {

        public boolean parasitized() {
            return "Parasitized".equals(label);
        }

        /** The slide, or null when the file name did not carry one (such cells count in no slide's share). */
        public String knownSlide() {
            return CellFile.UNKNOWN.equals(slide) ? null : slide;
        }

        /** Unique within a dataset: the class directory and the file name. */
        public String key() {
            return label + "/" + file;
        }

        String line() {
            StringBuilder sb = new StringBuilder().append(file).append(',').append(label).append(',').append(patient)
                    .append(',').append(slide).append(',').append(fold);
            for (float p : views) {
                sb.append(',').append(p);
            }
            return sb.toString();
        }
    }

    /** A report directory means its {@code cv_predictions.csv}; a file is taken as it is. */
    public static Path resolve(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no predictions file " + file);
        }
        return file;
    }

    /** The rows by {@link Row#key()}, in file order. */
    public static Map<String, Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + " is not a cross-validation predictions file (header " + HEADER + ")");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            String[] c = lines.get(n).split(",");
            if (c.length != 5 + VIEWS) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": expected " + (5 + VIEWS)
                        + " columns, got " + c.length);
            }
            float[] views = new float[VIEWS];
            for (int v = 0; v < VIEWS; v++) {
                views[v] = Float.parseFloat(c[5 + v]);
            }
            Row row = new Row(c[0], c[1], c[2], c[3], Integer.parseInt(c[4]), views);
            if (rows.put(row.key(), row) != null) {
                throw new IllegalArgumentException(file + " has " + row.key() + " twice");
            }
        }
        return rows;
    }

    public static void write(Path file, Collection<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write(HEADER + "\n");
            for (Row r : rows) {
                w.write(r.line() + "\n");
            }
        }
    }
}
