package org.malariastream.common.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.malariastream.avro.CellClass;

/**
 * A directory in the NIH layout: {@code <dir>/Parasitized/*.png} and {@code <dir>/Uninfected/*.png}, file
 * names carrying patient and slide. Lists the files; decoding and checking the images is the caller's.
 */
public final class NihLayout {
    public static final String PARASITIZED_DIR = "Parasitized";
    public static final String UNINFECTED_DIR = "Uninfected";

    private NihLayout() {}

    /** One labelled cell file. */
    public record CellFile(Path path, CellClass label, NihCellName name) {}

    /** The cells, sorted by slide then cell number, and the files that do not follow the naming. */
    public record Listing(List<CellFile> cells, List<Path> unnamed) {}

    public static Listing list(Path dir) {
        Path parasitized = dir.resolve(PARASITIZED_DIR);
        Path uninfected = dir.resolve(UNINFECTED_DIR);
        if (!Files.isDirectory(parasitized) && !Files.isDirectory(uninfected)) {
            throw new IllegalArgumentException(dir + " is not in the NIH layout: it has neither " + PARASITIZED_DIR
                    + "/ nor " + UNINFECTED_DIR + "/ (the NIH malaria dataset's cell_images folder has both)");
        }
        List<CellFile> cells = new ArrayList<>();
        List<Path> unnamed = new ArrayList<>();
        collect(parasitized, CellClass.PARASITIZED, cells, unnamed);
        collect(uninfected, CellClass.UNINFECTED, cells, unnamed);
        cells.sort(Comparator.comparing((CellFile c) -> c.name().slide()).thenComparingInt(c -> c.name().cell())
                .thenComparing(c -> c.path().getFileName().toString()));
        return new Listing(List.copyOf(cells), List.copyOf(unnamed));
    }

    private static void collect(Path dir, CellClass label, List<CellFile> cells, List<Path> unnamed) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> {
                Optional<NihCellName> name = NihCellName.parse(file.getFileName().toString());
                if (name.isPresent()) {
                    cells.add(new CellFile(file, label, name.get()));
                } else {
                    unnamed.add(file);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
