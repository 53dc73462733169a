package org.malariastream.classifier.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.malariastream.classifier.model.Locations;

/** Access to the shared dataset and backbone from tests. */
public final class SharedData {

    private SharedData() {}

    public static Path images() {
        Path p = Locations.sharedImages(null);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared images not found at " + p.toAbsolutePath()
                    + " (set -Dmalaria.shared.dir or MALARIA_SHARED_DIR)");
        }
        return p;
    }

    public static Path backbone() {
        return Locations.backbone(null, null);
    }

    public static Path backboneDir() {
        return backbone().getParent();
    }

    /** The first {@code n} files (sorted by name) of a class directory. */
    public static List<Path> first(String classDir, int n) throws IOException {
        try (Stream<Path> s = Files.list(images().resolve(classDir))) {
            return s.sorted().limit(n).toList();
        }
    }

    /** Every {@code step}-th file (sorted by name) of a class directory, {@code n} of them: spread over patients. */
    public static List<Path> spread(String classDir, int n, int step) throws IOException {
        try (Stream<Path> s = Files.list(images().resolve(classDir))) {
            List<Path> all = s.sorted().toList();
            return java.util.stream.IntStream.range(0, n).mapToObj(i -> all.get((i * step) % all.size())).toList();
        }
    }
}
