package org.malariastream.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.image.TestImages;
import org.malariastream.ingest.KafkaProbe;
import org.malariastream.ingest.intake.CellIntake;
import org.malariastream.ingest.intake.IntakeProducer;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

@ExtendWith(LocalStackExtension.class)
class DatasetReplayTest {
    /** Two real slides: 18 cells (10 parasitized) and 15 cells (7 parasitized). */
    private static final List<String> SLIDES = List.of("IMG_20150918_144104", "IMG_20150918_144348");

    /** A dataset folder with the two slides' real cells, plus broken, oversized and foreign files. */
    private static Path dataset(Path dir) throws IOException {
        for (String cls : List.of("Parasitized", "Uninfected")) {
            Path target = Files.createDirectories(dir.resolve(cls));
            try (Stream<Path> files = Files.list(TestImages.cellImages().resolve(cls))) {
                for (Path f : files.filter(f -> SLIDES.stream().anyMatch(s -> f.getFileName().toString().contains(s))).toList()) {
                    Files.createSymbolicLink(target.resolve(f.getFileName()), f);
                }
            }
        }
        byte[] png = TestImages.realPng();
        Files.write(dir.resolve("Parasitized/C999P1ThinF_IMG_20990101_000000_cell_1.png"), new byte[0]);
        Files.write(dir.resolve("Parasitized/C999P1ThinF_IMG_20990101_000000_cell_2.png"), Arrays.copyOf(png, 500));
        // over the limit, and too large for a dead letter: it used to stop the whole replay
        Files.write(dir.resolve("Parasitized/C999P1ThinF_IMG_20990101_000000_cell_3.png"),
                Arrays.copyOf(png, 1_100_000));
        Files.writeString(dir.resolve("Uninfected/Thumbs.db"), "not a cell");
        return dir;
    }

    @Test
    void replaysSlideBySlideWithCountsLabelsAndTheSameIdsEveryTime(LocalStack stack, @TempDir Path tmp) throws Exception {
        Path images = dataset(tmp.resolve("cell_images"));
        String scanner = "replay" + System.nanoTime();
        Producer<String, Object> producer = IntakeProducer.create(KafkaProbe.connection(stack), "replay-test");
        CellIntake intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), new SimpleMeterRegistry());
        AtomicInteger started = new AtomicInteger();
        AtomicInteger last = new AtomicInteger();
        DatasetReplay.Progress progress = new DatasetReplay.Progress() {
            @Override
            public void started(int total) {
                started.set(total);
            }

            @Override
            public void advanced(int done, int rejected) {
                last.accumulateAndGet(done, Math::max);
            }
        };
        DatasetReplay.Summary summary;
        try (producer) {
            summary = new DatasetReplay(new DatasetReplay.Settings(images, scanner, 0, 0, true, 16), intake).run(progress);
            new DatasetReplay(new DatasetReplay.Settings(images, scanner, 0, 0, false, 16), intake).run(progress);
        }
        assertThat(summary.slides()).isEqualTo(3);
        assertThat(summary.published()).isEqualTo(33);
        assertThat(summary.parasitized()).isEqualTo(17);
        assertThat(summary.uninfected()).isEqualTo(16);
        assertThat(summary.rejected()).containsOnly(Map.entry(DeadLetterReason.EMPTY_PAYLOAD, 1),
                Map.entry(DeadLetterReason.TRUNCATED_IMAGE, 1), Map.entry(DeadLetterReason.PAYLOAD_TOO_LARGE, 1));
        assertThat(summary.unnamedFiles()).isEqualTo(1);
        assertThat(summary.labels()).isEqualTo(33);
        assertThat(started.get()).isEqualTo(36);
        assertThat(last.get()).isEqualTo(36);

        List<ConsumerRecord<String, CellImage>> events = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().filter(r -> r.value().getScannerId().equals(scanner)).count() >= 66, Duration.ofSeconds(30));
        List<CellImage> mine = events.stream().map(ConsumerRecord::value).filter(v -> v.getScannerId().equals(scanner)).toList();
        assertThat(mine).hasSize(66);
        assertThat(mine.stream().map(CellImage::getEventId).collect(Collectors.toSet())).as("the second run resent the same ids").hasSize(33);
        Map<String, Set<Integer>> expectedBySlide = mine.stream().collect(Collectors.groupingBy(CellImage::getSlideId,
                Collectors.mapping(CellImage::getExpectedCellCount, Collectors.toSet())));
        assertThat(expectedBySlide).containsEntry(SLIDES.get(0), Set.of(18)).containsEntry(SLIDES.get(1), Set.of(15));
        assertThat(mine).allSatisfy(v -> assertThat(v.getPatientRef()).isEqualTo("C100"));

        List<ConsumerRecord<String, CellLabel>> labels = KafkaProbe.read(stack, Topics.CELL_LABELS.name(),
                rs -> rs.stream().filter(r -> SLIDES.contains(r.value().getSlideId())
                        && r.value().getSource().equals("dataset:cell_images")).count() >= 33, Duration.ofSeconds(30));
        Map<CellClass, Long> byLabel = labels.stream().map(ConsumerRecord::value)
                .filter(l -> SLIDES.contains(l.getSlideId()) && l.getSource().equals("dataset:cell_images"))
                .collect(Collectors.groupingBy(CellLabel::getLabel, Collectors.counting()));
        assertThat(byLabel.get(CellClass.PARASITIZED)).isGreaterThanOrEqualTo(17);
        assertThat(byLabel.get(CellClass.UNINFECTED)).isGreaterThanOrEqualTo(16);
    }
}
