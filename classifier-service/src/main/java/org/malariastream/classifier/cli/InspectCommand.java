package org.malariastream.classifier.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellLabel;
import org.malariastream.classifier.model.data.DecodedCells;
import org.malariastream.classifier.model.data.DecodedCells.DecodedCell;
import org.malariastream.classifier.model.data.SkippedFile;
import org.malariastream.classifier.model.preprocess.RgbImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inspect}: what a cell dataset holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {
            "Describes a directory of cell images in the NIH layout (DIR/Parasitized/*.png, DIR/Uninfected/*.png):"
                    + " cells per class, patients (with and without parasitized cells), slides, image sizes, and files"
                    + " skipped because they are empty, not images or undecodable.",
            "With --grid, writes a PNG of randomly chosen sample cells, one block of rows per class."},
        footer = {"", "Example:", "  inspect --images ../shared/data/malaria-cells/cell_images --grid target/cells.png"})
public final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetOptions data;

    @Option(names = "--grid", paramLabel = "FILE", description = "Write a PNG grid of sample cells per class.")
    Path grid;

    @Option(names = "--per-class", defaultValue = "16", description = "Sample cells per class in the grid (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--seed", defaultValue = "7", description = "Seed for choosing the grid's samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        return CliSupport.run(spec.commandLine(), this::inspect);
    }

    private int inspect() throws Exception {
        if (perClass < 1 || perClass > 200) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--per-class must be 1..200");
        }
        Path dir = data.imagesDir(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        CellDataset dataset = CellDataset.scan(dir);
        DecodedCells decoded = DecodedCells.decode(dataset, Runtime.getRuntime().availableProcessors(), null);
        List<DecodedCell> cells = decoded.cells();
        out.printf("dataset      %s%n", dir);
        for (CellLabel label : new CellLabel[] {CellLabel.PARASITIZED, CellLabel.UNINFECTED}) {
            long n = cells.stream().filter(c -> c.file().label() == label).count();
            out.printf("%-12s %d cells (%.1f%%)%n", label.directory(), n, cells.isEmpty() ? 0 : 100.0 * n / cells.size());
        }
        Map<String, int[]> patients = new TreeMap<>();
        Map<String, int[]> slides = new TreeMap<>();
        long unknown = 0;
        for (DecodedCell c : cells) {
            patients.computeIfAbsent(c.file().patient(), k -> new int[2])[c.file().label().index()]++;
            slides.computeIfAbsent(c.file().slide(), k -> new int[2])[c.file().label().index()]++;
            if (!c.file().hasSlide()) {
                unknown++;
            }
        }
        long infected = patients.values().stream().filter(c -> c[1] > 0).count();
        out.printf("patients     %d (%d with parasitized cells, %d without)%n", patients.size(), infected,
                patients.size() - infected);
        int[] perPatient = patients.values().stream().mapToInt(c -> c[0] + c[1]).sorted().toArray();
        if (perPatient.length > 0) {
            out.printf("cells/patient min %d, median %d, max %d%n", perPatient[0], perPatient[perPatient.length / 2],
                    perPatient[perPatient.length - 1]);
        }
        long slidesWith10 = slides.values().stream().filter(c -> c[0] + c[1] >= 10).count();
        out.printf("slides       %d (%d with >= 10 cells)%n", slides.size(), slidesWith10);
        if (unknown > 0) {
            out.printf("unnamed      %d cells whose file names do not carry patient and slide%n", unknown);
        }
        if (!cells.isEmpty()) {
            int[] w = cells.stream().mapToInt(c -> c.image().width()).sorted().toArray();
            int[] h = cells.stream().mapToInt(c -> c.image().height()).sorted().toArray();
            out.printf("width  px    min %d, p10 %d, median %d, p90 %d, max %d%n", w[0], pct(w, 10), pct(w, 50), pct(w, 90), w[w.length - 1]);
            out.printf("height px    min %d, p10 %d, median %d, p90 %d, max %d%n", h[0], pct(h, 10), pct(h, 50), pct(h, 90), h[h.length - 1]);
            int[] edges = {0, 64, 96, 128, 160, 192, 256, Integer.MAX_VALUE};
            StringBuilder sb = new StringBuilder("longer side  ");
            for (int i = 0; i + 1 < edges.length; i++) {
                int lo = edges[i], hi = edges[i + 1];
                long n = cells.stream().mapToInt(c -> Math.max(c.image().width(), c.image().height()))
                        .filter(s -> s >= lo && s < hi).count();
                sb.append(hi == Integer.MAX_VALUE ? ">=" + lo : lo + "-" + (hi - 1)).append(": ").append(n).append("  ");
            }
            out.println(sb.toString().trim());
        }
        out.printf("skipped      %d file(s)%n", decoded.skipped().size());
        for (SkippedFile s : decoded.skipped().subList(0, Math.min(10, decoded.skipped().size()))) {
            out.printf("             %s: %s%n", s.path().getFileName(), s.reason());
        }
        if (grid != null) {
            writeGrid(cells, grid);
            out.printf("grid         %s%n", grid);
        }
        out.flush();
        return 0;
    }

    private static int pct(int[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.round(p / 100.0 * (sorted.length - 1)))];
    }

    private void writeGrid(List<DecodedCell> cells, Path file) throws Exception {
        Random random = new Random(seed);
        List<CellGrid.Block> blocks = new ArrayList<>();
        for (CellLabel label : new CellLabel[] {CellLabel.PARASITIZED, CellLabel.UNINFECTED}) {
            List<DecodedCell> of = new ArrayList<>(cells.stream().filter(c -> c.file().label() == label).toList());
            Collections.shuffle(of, random);
            List<RgbImage> shown = of.subList(0, Math.min(perClass, of.size())).stream().map(DecodedCell::image).toList();
            blocks.add(new CellGrid.Block(label.directory() + " (" + shown.size() + " random of " + of.size() + ")",
                    shown, null));
        }
        CellGrid.write(blocks, file);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InspectCommand()).execute(args));
    }
}
