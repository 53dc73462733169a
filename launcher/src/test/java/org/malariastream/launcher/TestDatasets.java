package org.malariastream.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.malariastream.avro.CellClass;
import org.malariastream.common.SharedData;
import org.malariastream.common.dataset.NihLayout;

/** Small datasets in the NIH layout made of real slides from ../shared (links, no copies). */
final class TestDatasets {
    private TestDatasets() {}

    /**
     * Links the cells of the first {@code slides} slides that have between {@code min} and {@code max} cells
     * of both classes into {@code dir}; returns each chosen slide's cells.
     */
    static Map<String, List<NihLayout.CellFile>> slides(Path dir, int slides, int min, int max) throws IOException {
        Map<String, List<NihLayout.CellFile>> bySlide = NihLayout.list(SharedData.cellImages()).cells().stream()
                .collect(Collectors.groupingBy(c -> c.name().slide(), LinkedHashMap::new, Collectors.toList()));
        Map<String, List<NihLayout.CellFile>> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, List<NihLayout.CellFile>> e : bySlide.entrySet()) {
            List<NihLayout.CellFile> cells = e.getValue();
            boolean bothClasses = cells.stream().anyMatch(c -> c.label() == CellClass.PARASITIZED)
                    && cells.stream().anyMatch(c -> c.label() == CellClass.UNINFECTED);
            if (cells.size() >= min && cells.size() <= max && bothClasses) {
                chosen.put(e.getKey(), cells);
            }
            if (chosen.size() == slides) {
                break;
            }
        }
        for (List<NihLayout.CellFile> cells : chosen.values()) {
            for (NihLayout.CellFile c : cells) {
                Path target = Files.createDirectories(dir.resolve(c.path().getParent().getFileName())).resolve(c.path().getFileName());
                Files.createSymbolicLink(target, c.path().toAbsolutePath());
            }
        }
        return chosen;
    }
}
