package org.malariastream.classifier.cli;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.preprocess.ImageDecodeException;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.classifier.model.preprocess.RgbImage;
import org.malariastream.classifier.model.train.CvPredictions;
import org.malariastream.classifier.model.train.LabelReview;
import org.malariastream.classifier.model.train.LabelReview.Suspect;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code review-labels}: the cells whose labels out-of-fold predictions most confidently contradict. */
@Command(name = "review-labels", mixinStandardHelpOptions = true,
        description = {
            "Lists the cells whose label the out-of-fold predictions of a cross-validation (train --folds, cv-merge,"
                    + " cv-ensemble) contradict at threshold 0.5, most confident first, with counts by how far P lies"
                    + " from the label and by patient; optionally a PNG of the top cells and a CSV of all of them.",
            "Every cell was scored by a model that never saw its patient, so a confident contradiction is a"
                    + " candidate for a second look at the label."},
        footer = {"", "Example:",
            "  review-labels target/cv --grid target/suspects.png --csv target/suspects.csv"})
public final class ReviewLabelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PREDICTIONS",
            description = "A cross-validation report directory (its cv_predictions.csv) or a predictions file.")
    Path predictions;

    @Mixin
    DatasetOptions data;

    @Option(names = "--views", defaultValue = "1", description = "Test-time views whose mean is P: 1, 2, 4 or 8 (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--top", defaultValue = "24", description = "Cells per direction printed and drawn (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--grid", paramLabel = "FILE",
            description = "Write a PNG of the --top cells per direction (most confident, or --random).")
    Path grid;

    @Option(names = "--random", description = "Print and draw --top cells per direction drawn at random (seeded by"
            + " --seed) instead of the most confident: what the contradictions are typically like.")
    boolean random;

    @Option(names = "--seed", defaultValue = "7",
            description = "Seed of the --random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write every contradicted cell (file,label,patient,slide,fold,p).")
    Path csv;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::review);
    }

    private int review() throws Exception {
        CommandLine cmd = spec.commandLine();
        if (views != 1 && views != 2 && views != 4 && views != 8) {
            throw new CommandLine.ParameterException(cmd, "--views must be 1, 2, 4 or 8");
        }
        if (top < 1 || top > 200) {
            throw new CommandLine.ParameterException(cmd, "--top must be 1..200");
        }
        Path dir = grid != null ? data.imagesDir(cmd) : null;
        Path file = CvPredictions.resolve(predictions);
        LabelReview.Result r = LabelReview.review(CvPredictions.read(file).values(), views);
        PrintWriter out = cmd.getOut();
        out.printf("%s: %d cells, %d contradicted at 0.5 (%.2f%%), P = mean of %d view(s)%n", file, r.cells(), r.errors(),
                r.cells() == 0 ? 0 : 100.0 * r.errors() / r.cells(), views);
        out.println("|P - label|          0.5-0.7  0.7-0.9  0.9-1.0");
        printBands(out, "labelled parasitized", r.parasitizedCalledUninfected());
        printBands(out, "labelled uninfected ", r.uninfectedCalledParasitized());
        out.print("by patient          ");
        r.errorsByPatient().entrySet().stream().limit(8)
                .forEach(e -> out.printf(" %s %d", e.getKey(), e.getValue()));
        out.println(r.errorsByPatient().size() > 8 ? " ..." : "");
        // chosen once, so that the printout and the grid show the same cells
        List<Suspect> missedShown = shown(r.parasitizedCalledUninfected());
        List<Suspect> falseShown = shown(r.uninfectedCalledParasitized());
        printTop(out, random ? "labelled parasitized, drawn at random" : "labelled parasitized, lowest P", missedShown);
        printTop(out, random ? "labelled uninfected, drawn at random" : "labelled uninfected, highest P", falseShown);
        if (csv != null) {
            writeCsv(r);
            out.printf("csv          %s%n", csv);
        }
        if (grid != null) {
            int missing = writeGrid(r, missedShown, falseShown, dir);
            out.printf("grid         %s%s%n", grid, missing == 0 ? "" : " (" + missing + " image(s) not found or not decodable under " + dir + ")");
        }
        out.flush();
        return 0;
    }

    /** The --top cells of one direction that are printed and drawn: the most confident, or a random draw. */
    private List<Suspect> shown(List<Suspect> suspects) {
        return random ? LabelReview.randomDraw(suspects, top, seed)
                : suspects.subList(0, Math.min(top, suspects.size()));
    }

    private static void printBands(PrintWriter out, String who, List<Suspect> suspects) {
        int[] b = LabelReview.Result.bands(suspects);
        out.printf("%s %8d %8d %8d   (%d)%n", who, b[0], b[1], b[2], suspects.size());
    }

    private void printTop(PrintWriter out, String title, List<Suspect> suspects) {
        out.printf("%s:%n", title);
        for (Suspect s : suspects.subList(0, Math.min(10, suspects.size()))) {
            out.printf("  P %.3f  %s  (patient %s, fold %d)%n", s.probability(), s.row().file(), s.row().patient(),
                    s.row().fold());
        }
    }

    private void writeCsv(LabelReview.Result r) throws Exception {
        if (csv.toAbsolutePath().getParent() != null) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
        }
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("file,label,patient,slide,fold,p\n");
            for (List<Suspect> list : List.of(r.parasitizedCalledUninfected(), r.uninfectedCalledParasitized())) {
                for (Suspect s : list) {
                    w.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f%n", s.row().file(), s.row().label(),
                            s.row().patient(), s.row().slide(), s.row().fold(), s.probability()));
                }
            }
        }
    }

    /** Draws the shown cells of both directions; returns how many images could not be read. */
    private int writeGrid(LabelReview.Result r, List<Suspect> missedShown, List<Suspect> falseShown, Path dir)
            throws Exception {
        int[] missing = {0};
        CellGrid.write(List.of(
                block("labelled Parasitized, model says uninfected", missedShown,
                        r.parasitizedCalledUninfected().size(), dir, missing),
                block("labelled Uninfected, model says parasitized", falseShown,
                        r.uninfectedCalledParasitized().size(), dir, missing)), grid);
        return missing[0];
    }

    /** One direction's block: {@code shown} of its {@code total} contradicted cells. */
    private CellGrid.Block block(String title, List<Suspect> shown, int total, Path dir, int[] missing) {
        List<RgbImage> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (Suspect s : shown) {
            try {
                Path image = dir.resolve(s.row().label()).resolve(s.row().file());
                images.add(ImageDecoder.decode(Files.readAllBytes(image)));
                captions.add(String.format(Locale.ROOT, "P %.3f %s", s.probability(), s.row().patient()));
            } catch (java.io.IOException | ImageDecodeException e) {
                missing[0]++;
            }
        }
        return new CellGrid.Block(String.format("%s (%d %s of %d)", title, images.size(),
                random ? "drawn at random" : "most confident", total), images, captions);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReviewLabelsCommand()).execute(args));
    }
}
