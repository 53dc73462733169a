package org.malariastream.ingest.hotfolder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.IngestChannel;
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
class HotFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalStack stack;
    private final String run = "hf" + System.nanoTime();
    private Producer<String, Object> producer;
    private CellIntake intake;

    HotFolderTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void start() {
        producer = IntakeProducer.create(KafkaProbe.connection(stack), "hotfolder-test");
        intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        producer.close();
    }

    private HotFolder folder(Path inbox, Duration settle) {
        return new HotFolder(new HotFolder.Settings(inbox, "hotfolder", settle, Duration.ofMillis(50), 100), intake);
    }

    /** Scans until nothing is published or rejected any more and nothing is waiting to settle. */
    private static void drain(HotFolder folder) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HotFolder.ScanResult r = folder.scanOnce();
            assertThat(r.failed()).isZero();
            if (r.waiting() == 0 && r.published() + r.rejected() == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the hot folder did not drain");
    }

    @Test
    void goodCellsArePublishedAndMovedToDoneBadOnesToRejectedWithReasons(@TempDir Path inbox) throws Exception {
        String good = run + "-good";
        String bad = run + "-bad";
        Path goodDir = Files.createDirectories(inbox.resolve(good));
        Path badDir = Files.createDirectories(inbox.resolve(bad));
        Files.writeString(goodDir.resolve("slide.json"), "{\"scannerId\":\"scanner-hf\",\"patientRef\":\"C42\",\"expectedCellCount\":3}");
        byte[] png = TestImages.realPng();
        byte[] jpeg = TestImages.realJpeg();
        Files.write(goodDir.resolve("cell_1.png"), png);
        Files.write(goodDir.resolve("cell_2.PNG"), png);
        Files.write(goodDir.resolve("cell_3.jpg"), jpeg);
        Files.write(badDir.resolve("empty.png"), new byte[0]);
        Files.write(badDir.resolve("truncated.png"), Arrays.copyOf(png, 900));
        Files.writeString(badDir.resolve("text.png"), "not an image, just text renamed to .png");
        Files.write(badDir.resolve("bomb.png"), TestImages.pngHeaderClaiming(20_000, 20_000));
        byte[] giant = Arrays.copyOf(png, 1_100_000); // over the limit, and too large for a dead letter
        Files.write(badDir.resolve("giant.png"), giant);
        Files.writeString(badDir.resolve("notes.txt"), "microscope notes");
        Files.write(badDir.resolve("cell_9.png.part"), Arrays.copyOf(png, 100));
        Files.write(inbox.resolve("stray.png"), png);

        drain(folder(inbox, Duration.ZERO));

        assertThat(names(inbox.resolve("done").resolve(good))).containsExactlyInAnyOrder("cell_1.png", "cell_2.PNG", "cell_3.jpg");
        assertThat(names(goodDir)).containsExactly("slide.json");
        assertThat(names(badDir)).as("a file still being written under a temporary name is left alone").containsExactly("cell_9.png.part");
        Path rejected = inbox.resolve("rejected").resolve(bad);
        assertThat(reason(rejected, "empty.png")).isEqualTo("EMPTY_PAYLOAD");
        assertThat(reason(rejected, "truncated.png")).isEqualTo("TRUNCATED_IMAGE");
        assertThat(reason(rejected, "text.png")).isEqualTo("NOT_AN_IMAGE");
        assertThat(reason(rejected, "bomb.png")).isEqualTo("DIMENSIONS_OUT_OF_RANGE");
        assertThat(reason(rejected, "giant.png")).as("refused unread, not retried for ever")
                .isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(Files.readAllBytes(rejected.resolve("giant.png"))).as("kept as it was").isEqualTo(giant);
        assertThat(reason(rejected, "notes.txt")).isEqualTo("NOT_AN_IMAGE");
        assertThat(Files.readAllBytes(rejected.resolve("truncated.png"))).as("kept as it was").isEqualTo(Arrays.copyOf(png, 900));
        assertThat(Files.exists(inbox.resolve("rejected/stray.png.reason"))).isTrue();

        List<ConsumerRecord<String, CellImage>> events = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().filter(r -> r.value().getSlideId().equals(good)).count() >= 3, Duration.ofSeconds(30));
        Map<String, CellImage> byCell = events.stream().map(ConsumerRecord::value).filter(v -> v.getSlideId().equals(good))
                .collect(Collectors.toMap(CellImage::getCellId, v -> v, (a, b) -> a));
        assertThat(byCell).containsOnlyKeys("cell_1", "cell_2", "cell_3");
        assertThat(byCell.get("cell_3").getImage().array()).isEqualTo(jpeg);
        assertThat(byCell.get("cell_1").getImage().array()).isEqualTo(png);
        assertThat(byCell.values()).allSatisfy(v -> {
            assertThat(v.getScannerId()).isEqualTo("scanner-hf");
            assertThat(v.getPatientRef()).isEqualTo("C42");
            assertThat(v.getExpectedCellCount()).isEqualTo(3);
            assertThat(v.getChannel()).isEqualTo(IngestChannel.HOT_FOLDER);
        });

        List<ConsumerRecord<String, DeadLetter>> letters = KafkaProbe.read(stack, Topics.INGEST_DLQ.name(),
                rs -> rs.stream().filter(r -> bad.equals(r.value().getSlideId())).count() >= 4, Duration.ofSeconds(30));
        assertThat(letters).map(ConsumerRecord::value).filteredOn(l -> bad.equals(l.getSlideId()))
                .extracting(DeadLetter::getCellId).containsExactlyInAnyOrder("empty", "truncated", "text", "bomb");
    }

    @Test
    void aFileStillBeingWrittenIsNotReadHalfWay(@TempDir Path inbox) throws Exception {
        String slide = run + "-slow";
        Path dir = Files.createDirectories(inbox.resolve(slide));
        byte[] png = TestImages.realPng();
        Path file = dir.resolve("cell_1.png");
        HotFolder folder = folder(inbox, Duration.ofMillis(1500));
        Files.write(file, Arrays.copyOf(png, png.length / 2));
        for (int i = 0; i < 3; i++) {
            assertThat(folder.scanOnce().published()).isZero();
            Thread.sleep(150);
        }
        assertThat(Files.exists(file)).as("half a file stays in the inbox").isTrue();
        Files.write(file, png); // the scanner finishes writing
        drain(folder);
        assertThat(Files.exists(inbox.resolve("done").resolve(slide).resolve("cell_1.png"))).isTrue();
        List<ConsumerRecord<String, CellImage>> events = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().anyMatch(r -> r.value().getSlideId().equals(slide)), Duration.ofSeconds(30));
        assertThat(events).map(ConsumerRecord::value).filteredOn(v -> v.getSlideId().equals(slide))
                .singleElement().satisfies(v -> assertThat(v.getImage().array()).isEqualTo(png));
    }

    @Test
    void malformedSlideJsonIsRejectedAndItsCellsStillGoThrough(@TempDir Path inbox) throws Exception {
        String slide = run + "-manifest";
        Path dir = Files.createDirectories(inbox.resolve(slide));
        Files.writeString(dir.resolve("slide.json"), "{\"patientRef\": ");
        Files.write(dir.resolve("cell_1.png"), TestImages.realPng());
        drain(folder(inbox, Duration.ZERO));
        assertThat(reason(inbox.resolve("rejected").resolve(slide), "slide.json")).isEqualTo("MALFORMED_RECORD");
        assertThat(Files.exists(inbox.resolve("done").resolve(slide).resolve("cell_1.png"))).isTrue();
    }

    private static List<String> names(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String reason(Path dir, String file) throws Exception {
        assertThat(dir.resolve(file)).exists();
        JsonNode json = JSON.readTree(Files.readString(dir.resolve(file + ".reason"), StandardCharsets.UTF_8));
        assertThat(json.get("message").asText()).isNotBlank();
        return json.get("reason").asText();
    }
}
