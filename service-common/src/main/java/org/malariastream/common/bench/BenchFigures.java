package org.malariastream.common.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the benchmark commands share: percentiles, a process's peak memory, their scratch directories. */
public final class BenchFigures {
    private BenchFigures() {}

    /** The q-quantile (nearest rank) of the values, or -1 when there are none. */
    public static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.max(0, Math.ceil(q * sorted.size()) - 1));
    }

    /** VmHWM of a process (Linux): the most resident memory it has had, in MiB; -1 when unknown. */
    public static long peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    public static long peakRssMb() {
        return peakRssMb(ProcessHandle.current().pid());
    }

    /** Removes a benchmark's scratch directory; what cannot be removed stays, harmlessly, in the temp dir. */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // left for the OS's temp cleaning
        }
    }
}
