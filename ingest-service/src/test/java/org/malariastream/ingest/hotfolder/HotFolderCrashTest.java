package org.malariastream.ingest.hotfolder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellImage;
import org.malariastream.common.image.TestImages;
import org.malariastream.ingest.KafkaProbe;
import org.malariastream.ingest.cli.IngestCommand;
import org.malariastream.ingest.intake.EventIds;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.ChildJvm;
import org.malariastream.stack.junit.LocalStackExtension;

/**
 * The watcher is a separate process, killed with SIGKILL in the middle of a folder and started again:
 * afterwards every file has been published as exactly one event id and has left the inbox.
 */
@ExtendWith(LocalStackExtension.class)
class HotFolderCrashTest {
    private static final int SLIDES = 3;
    private static final int CELLS_PER_SLIDE = 100;

    @Test
    void killedMidFolderAndRestartedEveryFileIsPublishedAsOneEventAndMovedOut(LocalStack stack, @TempDir Path inbox)
            throws Exception {
        String scanner = "crash" + System.nanoTime();
        Set<String> expectedIds = new HashSet<>();
        List<Path> sources;
        try (Stream<Path> list = Files.list(TestImages.cellImages().resolve("Uninfected"))) {
            sources = list.sorted().limit(SLIDES * CELLS_PER_SLIDE).toList();
        }
        for (int s = 0; s < SLIDES; s++) {
            Path slide = Files.createDirectories(inbox.resolve("slide-" + s));
            for (int c = 0; c < CELLS_PER_SLIDE; c++) {
                Files.copy(sources.get(s * CELLS_PER_SLIDE + c), slide.resolve("cell_" + c + ".png"));
                expectedIds.add(EventIds.of(scanner, "slide-" + s, "cell_" + c));
            }
        }
        int total = SLIDES * CELLS_PER_SLIDE;

        Process first = watcher(stack, inbox, scanner);
        awaitCount(() -> InboxCounts.done(inbox) >= total / 5, first, Duration.ofSeconds(90));
        first.destroyForcibly().waitFor();
        int leftAfterKill = InboxCounts.waiting(inbox);
        assertThat(leftAfterKill).as("killed in the middle of the folder").isPositive().isLessThan(total);

        Process second = watcher(stack, inbox, scanner);
        try {
            awaitCount(() -> InboxCounts.waiting(inbox) == 0, second, Duration.ofSeconds(120));
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(InboxCounts.done(inbox)).isEqualTo(total);
        assertThat(InboxCounts.rejected(inbox)).isZero();

        List<ConsumerRecord<String, CellImage>> events = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().filter(r -> r.value().getScannerId().equals(scanner))
                        .map(r -> r.value().getEventId()).distinct().count() >= total, Duration.ofSeconds(60));
        List<String> ids = events.stream().map(ConsumerRecord::value).filter(v -> v.getScannerId().equals(scanner))
                .map(CellImage::getEventId).toList();
        assertThat(new HashSet<>(ids)).as("one event id per file, none missing, none extra").isEqualTo(expectedIds);
        // A file published just before the kill and not yet moved is sent again, under the same id.
        assertThat(ids.size() - expectedIds.size()).as("resends").isLessThanOrEqualTo(leftAfterKill);
    }

    private static Process watcher(LocalStack stack, Path inbox, String scanner) throws IOException {
        return ChildJvm.start(IngestCommand.class, List.of("watch", "--dir", inbox.toString(),
                "--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.schemaRegistryUrl(),
                "--scanner-id", scanner, "--settle-ms", "0", "--poll-ms", "50", "--batch", "10"),
                Path.of("target", "hotfolder-crash-watcher.log"), "256m");
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private static void awaitCount(Check check, Process process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            assertThat(process.isAlive()).as("watcher process alive").isTrue();
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
