package org.malariastream.ingest.hotfolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.image.ImageCheck;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.CellSubmission;
import org.malariastream.ingest.intake.IntakeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scanner's hot folder: cells arrive as {@code <inbox>/<slideId>/<cellId>.png|.jpg} (with an optional
 * {@code slide.json}); each settled file is published, and only once Kafka has acknowledged it moved to
 * {@code done/<slideId>/}, or to {@code rejected/<slideId>/} with a {@code .reason} file beside it. A file
 * is never deleted before Kafka has it, so a crash loses nothing; a restart republishes what was not moved
 * yet under the same deterministic event id, so nothing becomes two different events.
 */
public final class HotFolder {
    private static final Logger log = LoggerFactory.getLogger(HotFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String DONE = "done";
    public static final String REJECTED = "rejected";
    private static final String REASON_SUFFIX = ".reason";

    /**
     * @param batch most files published per scan before waiting for their acknowledgements
     */
    public record Settings(Path inbox, String defaultScannerId, Duration settle, Duration pollInterval, int batch) {
        public Path done() {
            return inbox.resolve(DONE);
        }

        public Path rejected() {
            return inbox.resolve(REJECTED);
        }
    }

    /** Counts of one scan. */
    public record ScanResult(int published, int rejected, int failed, int waiting) {}

    private final Settings settings;
    private final CellIntake intake;
    private final FileSettling settling;
    private final Map<Path, SlideManifest> manifests = new HashMap<>();

    public HotFolder(Settings settings, CellIntake intake) {
        this.settings = settings;
        this.intake = intake;
        this.settling = new FileSettling(settings.settle());
        try {
            Files.createDirectories(settings.inbox());
            Files.createDirectories(settings.done());
            Files.createDirectories(settings.rejected());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the hot folder " + settings.inbox(), e);
        }
    }

    /** Scans until interrupted; a failed scan (Kafka away) is retried after the poll interval. */
    public void run() throws InterruptedException {
        log.info("Watching {} for <slideId>/<cellId>.png|jpg; done files go to {}, rejected to {}",
                settings.inbox(), settings.done(), settings.rejected());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                ScanResult r = scanOnce();
                if (r.published() + r.rejected() + r.failed() > 0) {
                    log.info("published {}, rejected {}, kept for retry {}", r.published(), r.rejected(), r.failed());
                }
            } catch (UncheckedIOException e) {
                log.warn("Scan of {} failed, retrying: {}", settings.inbox(), e.getMessage());
            }
            Thread.sleep(settings.pollInterval().toMillis());
        }
    }

    /** Runs {@link #run()} on a daemon thread of its own; interrupt it to stop. */
    public Thread start() {
        Thread thread = new Thread(() -> {
            try {
                run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hot-folder");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One pass over the inbox: publishes up to a batch of settled files and moves them out. */
    public ScanResult scanOnce() {
        long now = System.currentTimeMillis();
        List<Path> ready = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        int waiting = 0;
        for (Path entry : list(settings.inbox())) {
            String name = entry.getFileName().toString();
            if (name.equals(DONE) || name.equals(REJECTED) || ignored(name)) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                for (Path file : list(entry)) {
                    String fileName = file.getFileName().toString();
                    if (ignored(fileName) || fileName.equals(SlideManifest.FILE_NAME) || Files.isDirectory(file)) {
                        continue;
                    }
                    present.add(file);
                    if (settled(file, now) && ready.size() < settings.batch()) {
                        ready.add(file);
                    } else {
                        waiting++;
                    }
                }
            } else {
                present.add(entry);
                if (settled(entry, now)) {
                    intake.countRefused(IngestChannel.HOT_FOLDER.name(), DeadLetterReason.OTHER);
                    reject(entry, settings.rejected().resolve(name), DeadLetterReason.OTHER,
                            "cell files go in a folder per slide: <inbox>/<slideId>/<cellId>.png");
                }
            }
        }
        settling.retainOnly(present);
        return publish(ready, waiting);
    }

    private ScanResult publish(List<Path> files, int waiting) {
        List<CompletableFuture<IntakeResult>> results = new ArrayList<>(files.size());
        List<Path> submitted = new ArrayList<>(files.size());
        int rejected = 0;
        for (Path file : files) {
            Path slideDir = file.getParent();
            String slideId = slideDir.getFileName().toString();
            String fileName = file.getFileName().toString();
            String extension = extension(fileName);
            if (!extension.equals("png") && !extension.equals("jpg") && !extension.equals("jpeg")) {
                intake.countRefused(IngestChannel.HOT_FOLDER.name(), DeadLetterReason.NOT_AN_IMAGE);
                reject(file, rejectedPath(file), DeadLetterReason.NOT_AN_IMAGE,
                        "only .png, .jpg and .jpeg cell files are taken; " + fileName + " is neither");
                rejected++;
                continue;
            }
            SlideManifest manifest = manifest(slideDir);
            byte[] bytes;
            Instant capturedAt;
            try {
                Optional<ImageCheck.Rejected> tooLarge =
                        intake.refuseIfTooLarge(IngestChannel.HOT_FOLDER, Files.size(file));
                if (tooLarge.isPresent()) {
                    reject(file, rejectedPath(file), tooLarge.get().reason(), tooLarge.get().message());
                    rejected++;
                    continue;
                }
                bytes = Files.readAllBytes(file);
                capturedAt = Files.getLastModifiedTime(file).toInstant();
            } catch (IOException e) {
                log.warn("Cannot read {}: {}; will retry", file, e.getMessage());
                continue;
            }
            String cellId = fileName.substring(0, fileName.length() - extension.length() - 1);
            String scanner = manifest.scannerId() != null ? manifest.scannerId() : settings.defaultScannerId();
            results.add(intake.submit(new CellSubmission(IngestChannel.HOT_FOLDER, scanner, slideId, cellId,
                    manifest.patientRef(), manifest.expectedCellCount(), capturedAt, bytes,
                    Map.of("file", slideId + "/" + fileName))));
            submitted.add(file);
        }
        intake.flush();
        int published = 0;
        int failed = 0;
        for (int i = 0; i < submitted.size(); i++) {
            Path file = submitted.get(i);
            try {
                IntakeResult result = results.get(i).join();
                if (result instanceof IntakeResult.Accepted) {
                    move(file, donePath(file));
                    published++;
                } else if (result instanceof IntakeResult.Rejected r) {
                    reject(file, rejectedPath(file), r.reason(), r.message());
                    rejected++;
                }
            } catch (CompletionException e) {
                // Kafka or the registry is away: the file stays in the inbox for the next scan.
                log.warn("Could not publish {}: {}", file, e.getCause() == null ? e : e.getCause().getMessage());
                failed++;
            }
        }
        return new ScanResult(published, rejected, failed, waiting);
    }

    /** A slide's manifest; one that is not valid JSON is moved to rejected/ and the slide goes on without it. */
    private SlideManifest manifest(Path slideDir) {
        Path file = slideDir.resolve(SlideManifest.FILE_NAME);
        if (!Files.exists(file)) {
            return manifests.getOrDefault(slideDir, SlideManifest.NONE);
        }
        try {
            SlideManifest m = SlideManifest.read(file);
            manifests.put(slideDir, m);
            return m;
        } catch (IOException e) {
            reject(file, rejectedPath(file), DeadLetterReason.MALFORMED_RECORD,
                    "slide.json is not valid: " + e.getMessage().lines().findFirst().orElse(""));
            return SlideManifest.NONE;
        }
    }

    private boolean settled(Path file, long now) {
        try {
            return settling.isSettled(file, now);
        } catch (IOException e) {
            return false; // moved or deleted meanwhile
        }
    }

    private Path donePath(Path file) {
        return settings.done().resolve(file.getParent().getFileName()).resolve(file.getFileName());
    }

    private Path rejectedPath(Path file) {
        return settings.rejected().resolve(file.getParent().getFileName()).resolve(file.getFileName());
    }

    /** Writes the reason first, then moves the file: a crash in between only repeats the rejection. */
    private void reject(Path file, Path target, DeadLetterReason reason, String message) {
        ObjectNode json = JSON.createObjectNode()
                .put("file", settings.inbox().relativize(file).toString())
                .put("reason", reason.name())
                .put("message", message)
                .put("rejectedAt", Instant.now().toString());
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target.resolveSibling(target.getFileName() + REASON_SUFFIX),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the reason for " + file, e);
        }
        move(file, target);
        log.warn("Rejected {}: {} ({})", file, reason, message);
    }

    private static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + from + " to " + to, e);
        }
    }

    /** Hidden files and temporary names are files a scanner is still writing. */
    private static boolean ignored(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.startsWith(".") || lower.endsWith(".part") || lower.endsWith(".tmp") || lower.endsWith(REASON_SUFFIX);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        out.sort(null);
        return out;
    }
}
