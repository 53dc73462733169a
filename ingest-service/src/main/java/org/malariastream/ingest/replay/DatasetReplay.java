package org.malariastream.ingest.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.common.image.ImageCheck;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.CellSubmission;
import org.malariastream.ingest.intake.IntakeResult;
import org.malariastream.ingest.intake.LabelSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a labelled dataset in the NIH layout as scanner events, slide by slide, each slide announcing
 * its cell count; with labels, the folder's ground truth follows each accepted cell on {@code cells.labels}.
 * For validation runs and demos: the same door checks as a real scanner's, the same deterministic ids.
 */
public final class DatasetReplay {
    private static final Logger log = LoggerFactory.getLogger(DatasetReplay.class);

    /**
     * @param cellsPerSecond pace, or 0 for as fast as Kafka takes them
     * @param limit most cells to send, or 0 for all
     */
    public record Settings(Path images, String scannerId, double cellsPerSecond, int limit, boolean labels, int maxInFlight) {}

    /** What a replay did. */
    public record Summary(int slides, int published, int parasitized, int uninfected, Map<DeadLetterReason, Integer> rejected,
            int unnamedFiles, int labels, Duration elapsed) {
        public int rejectedTotal() {
            return rejected.values().stream().mapToInt(Integer::intValue).sum();
        }

        public double cellsPerSecond() {
            return (published + rejectedTotal()) / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /** Told of progress after each cell; called from Kafka's callback threads, so keep it cheap. */
    public interface Progress {
        void started(int total);

        void advanced(int done, int rejected);
    }

    private final Settings settings;
    private final CellIntake intake;

    public DatasetReplay(Settings settings, CellIntake intake) {
        this.settings = settings;
        this.intake = intake;
    }

    public Summary run(Progress progress) throws InterruptedException {
        NihLayout.Listing listing = NihLayout.list(settings.images());
        List<NihLayout.CellFile> cells = settings.limit() > 0
                ? listing.cells().stream().limit(settings.limit()).toList() : listing.cells();
        Map<String, Long> cellsPerSlide = cells.stream()
                .collect(Collectors.groupingBy(c -> c.name().slide(), LinkedHashMap::new, Collectors.counting()));
        String labelSource = "dataset:" + settings.images().toAbsolutePath().normalize().getFileName();

        progress.started(cells.size());
        Semaphore inFlight = new Semaphore(settings.maxInFlight());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger published = new AtomicInteger();
        AtomicInteger parasitized = new AtomicInteger();
        AtomicInteger labels = new AtomicInteger();
        Map<DeadLetterReason, AtomicInteger> rejected = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            rejected.put(r, new AtomicInteger());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < cells.size() && failure.get() == null; i++) {
            pace(start, i);
            NihLayout.CellFile cell = cells.get(i);
            Optional<ImageCheck.Rejected> tooLarge = intake.refuseIfTooLarge(IngestChannel.REPLAY, size(cell.path()));
            if (tooLarge.isPresent()) {
                // Refused unread, as the hot folder does; the file stays where it is, in the dataset.
                rejected.get(tooLarge.get().reason()).incrementAndGet();
                log.warn("Rejected {}: {} ({})", cell.path(), tooLarge.get().reason(), tooLarge.get().message());
                progress.advanced(done.incrementAndGet(), total(rejected));
                continue;
            }
            byte[] bytes = read(cell.path());
            inFlight.acquire();
            CellSubmission submission = new CellSubmission(IngestChannel.REPLAY, settings.scannerId(), cell.name().slide(),
                    cell.name().cellId(), cell.name().patient(), cellsPerSlide.get(cell.name().slide()).intValue(),
                    Instant.now(), bytes, Map.of("file", cell.path().getFileName().toString()));
            CompletableFuture<?> sent = intake.submit(submission).thenCompose(result -> {
                if (result instanceof IntakeResult.Rejected r) {
                    rejected.get(r.reason()).incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                }
                published.incrementAndGet();
                if (cell.label() == CellClass.PARASITIZED) {
                    parasitized.incrementAndGet();
                }
                if (!settings.labels()) {
                    return CompletableFuture.completedFuture(null);
                }
                return intake.submitLabel(new LabelSubmission(cell.name().slide(), cell.name().cellId(), cell.label(),
                        labelSource, null, null)).thenRun(labels::incrementAndGet);
            });
            sent.whenComplete((ignored, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error.getCause() != null ? error.getCause() : error);
                }
                inFlight.release();
                progress.advanced(done.incrementAndGet(), total(rejected));
            });
        }
        inFlight.acquire(settings.maxInFlight()); // every callback has run
        intake.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("Replay stopped: Kafka did not take a cell (" + failure.get().getMessage()
                    + "); " + published.get() + " cells were published before. Running it again resends them"
                    + " under the same event ids.", failure.get());
        }
        Map<DeadLetterReason, Integer> rejectedCounts = new EnumMap<>(DeadLetterReason.class);
        rejected.forEach((reason, n) -> {
            if (n.get() > 0) {
                rejectedCounts.put(reason, n.get());
            }
        });
        return new Summary(cellsPerSlide.size(), published.get(), parasitized.get(), published.get() - parasitized.get(),
                rejectedCounts, listing.unnamed().size(), labels.get(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void pace(long start, int index) throws InterruptedException {
        if (settings.cellsPerSecond() <= 0) {
            return;
        }
        long due = start + (long) (index * 1e9 / settings.cellsPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static int total(Map<DeadLetterReason, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
