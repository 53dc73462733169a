package org.malariastream.classifier.model.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.common.dataset.NihCellName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a directory in the NIH layout ({@code DIR/Parasitized/*}, {@code DIR/Uninfected/*}),
 * in a stable (sorted) order. Empty files and files without a PNG/JPEG signature are listed in
 * {@link #skipped()} with a warning; files that look like images but fail to decode are skipped
 * later, where they are decoded.
 */
public record CellDataset(Path root, List<CellFile> files, List<SkippedFile> skipped) {

    private static final Logger LOG = LoggerFactory.getLogger(CellDataset.class);

    public CellDataset {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }

    /**
     * Scans {@code dir}.
     *
     * @throws IllegalArgumentException when {@code dir} has neither class sub-directory
     */
    public static CellDataset scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        List<CellFile> files = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        boolean anyClass = false;
        for (CellLabel label : CellLabel.values()) {
            Path classDir = dir.resolve(label.directory());
            if (!Files.isDirectory(classDir)) {
                continue;
            }
            anyClass = true;
            List<Path> entries;
            try (Stream<Path> s = Files.list(classDir)) {
                entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + classDir, e);
            }
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || Files.isDirectory(p)) {
                    continue;
                }
                String problem = checkHeader(p);
                if (problem != null) {
                    LOG.warn("skipping {}: {}", p, problem);
                    skipped.add(new SkippedFile(p, problem));
                    continue;
                }
                CellFile file = NihCellName.parse(name)
                        .map(n -> new CellFile(p, label, n.patient(), n.slide()))
                        .orElseGet(() -> new CellFile(p, label, CellFile.UNKNOWN, CellFile.UNKNOWN));
                files.add(file);
            }
        }
        if (!anyClass) {
            throw new IllegalArgumentException(dir + " has no " + CellLabel.PARASITIZED.directory()
                    + "/ or " + CellLabel.UNINFECTED.directory() + "/ sub-directory (NIH layout expected)");
        }
        if (!skipped.isEmpty()) {
            LOG.warn("skipped {} file(s) of {} that are not images", skipped.size(), dir);
        }
        return new CellDataset(dir, files, skipped);
    }

    private static String checkHeader(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                return "not a regular file";
            }
            if (Files.size(p) == 0) {
                return "empty file";
            }
            byte[] head = new byte[8];
            int n;
            try (InputStream in = Files.newInputStream(p)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (!ImageDecoder.looksLikeImage(n == head.length ? head : java.util.Arrays.copyOf(head, n))) {
                return "not a PNG or JPEG image";
            }
            return null;
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** A dataset of a subset of these files (same root, no skipped files). */
    public CellDataset subset(List<CellFile> subset) {
        return new CellDataset(root, subset, List.of());
    }

    public long count(CellLabel label) {
        return files.stream().filter(f -> f.label() == label).count();
    }

    /** Cells per patient, per label: patient → [uninfected, parasitized]. */
    public Map<String, int[]> patientCounts() {
        Map<String, int[]> out = new TreeMap<>();
        for (CellFile f : files) {
            out.computeIfAbsent(f.patient(), k -> new int[2])[f.label().index()]++;
        }
        return out;
    }

    /** Cells per slide, per label: slide → [uninfected, parasitized]. */
    public Map<String, int[]> slideCounts() {
        Map<String, int[]> out = new TreeMap<>();
        for (CellFile f : files) {
            out.computeIfAbsent(f.slide(), k -> new int[2])[f.label().index()]++;
        }
        return out;
    }
}
