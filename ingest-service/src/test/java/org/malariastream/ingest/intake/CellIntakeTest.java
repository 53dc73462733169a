package org.malariastream.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.avro.ImageFormat;
import org.malariastream.avro.IngestChannel;
import org.malariastream.common.image.ImageInspector;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.image.TestImages;
import org.malariastream.ingest.KafkaProbe;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

@ExtendWith(LocalStackExtension.class)
class CellIntakeTest {
    private final LocalStack stack;
    private Producer<String, Object> producer;
    private CellIntake intake;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final String slide = "intake-" + System.nanoTime();

    CellIntakeTest(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void start() {
        producer = IntakeProducer.create(KafkaProbe.connection(stack), "intake-test");
        intake = new CellIntake(producer, new ImageInspector(ImageLimits.DEFAULT), meters);
    }

    @AfterEach
    void stop() {
        producer.close();
    }

    private CellSubmission cell(String cellId, byte[] image) {
        return new CellSubmission(IngestChannel.HTTP, "scanner-1", slide, cellId, "C100", 2,
                Instant.parse("2026-11-26T10:00:00Z"), image, Map.of("k", "v"));
    }

    @Test
    void acceptedCellArrivesOnCellsImagesByteForByteWithItsHeaderFacts() {
        byte[] png = TestImages.realPng();
        IntakeResult result = intake.submit(cell("cell_1", png)).join();
        assertThat(result).isInstanceOf(IntakeResult.Accepted.class);
        String eventId = ((IntakeResult.Accepted) result).eventId();
        assertThat(eventId).isEqualTo(EventIds.of("scanner-1", slide, "cell_1"));

        List<ConsumerRecord<String, CellImage>> records = KafkaProbe.read(stack, Topics.CELL_IMAGES.name(),
                rs -> rs.stream().anyMatch(r -> r.value().getEventId().equals(eventId)), Duration.ofSeconds(30));
        CellImage event = records.stream().map(ConsumerRecord::value).filter(v -> v.getEventId().equals(eventId)).findFirst().get();
        assertThat(event.getImage().array()).isEqualTo(png);
        assertThat(event.getFormat()).isEqualTo(ImageFormat.PNG);
        assertThat(event.getWidth()).isEqualTo(142);
        assertThat(event.getHeight()).isEqualTo(148);
        assertThat(event.getSlideId()).isEqualTo(slide);
        assertThat(event.getPatientRef()).isEqualTo("C100");
        assertThat(event.getExpectedCellCount()).isEqualTo(2);
        assertThat(event.getChannel()).isEqualTo(IngestChannel.HTTP);
        assertThat(event.getCapturedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(meters.counter("ingest.cells.accepted", "channel", "HTTP").count()).isEqualTo(1.0);
    }

    @Test
    void rejectedCellGoesToTheDeadLetterTopicWithReasonAndOriginalBytes() {
        byte[] png = TestImages.realPng();
        byte[] truncated = Arrays.copyOf(png, png.length / 3);
        IntakeResult result = intake.submit(cell("cell_2", truncated)).join();
        assertThat(result).isInstanceOfSatisfying(IntakeResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
            assertThat(r.deadLettered()).isTrue();
        });
        List<ConsumerRecord<String, DeadLetter>> letters = KafkaProbe.read(stack, Topics.INGEST_DLQ.name(),
                rs -> rs.stream().anyMatch(r -> slide.equals(r.value().getSlideId())), Duration.ofSeconds(30));
        DeadLetter letter = letters.stream().map(ConsumerRecord::value).filter(l -> slide.equals(l.getSlideId())).findFirst().get();
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
        assertThat(letter.getStage()).isEqualTo(DeadLetterStage.INGEST);
        assertThat(letter.getService()).isEqualTo("ingest");
        assertThat(letter.getOriginalValue().array()).isEqualTo(truncated);
        assertThat(letter.getCellId()).isEqualTo("cell_2");
        assertThat(letter.getMessage()).contains("truncated");
        assertThat(meters.counter("ingest.cells.rejected", "channel", "HTTP", "reason", "TRUNCATED_IMAGE").count()).isEqualTo(1.0);
    }

    @Test
    void badIdentifierIsRejectedBeforeTheImageIsLookedAt() {
        IntakeResult result = intake.submit(new CellSubmission(IngestChannel.HTTP, "scanner-1", "../../etc", "passwd",
                null, null, null, TestImages.realPng(), Map.of())).join();
        assertThat(result).isInstanceOfSatisfying(IntakeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.INVALID_IDENTIFIER));
    }

    @Test
    void labelArrivesOnCellsLabels() {
        intake.submitLabel(new LabelSubmission(slide, "cell_1", CellClass.PARASITIZED, "microscopist:jdoe", null, "ring")).join();
        List<ConsumerRecord<String, CellLabel>> labels = KafkaProbe.read(stack, Topics.CELL_LABELS.name(),
                rs -> rs.stream().anyMatch(r -> slide.equals(r.value().getSlideId())), Duration.ofSeconds(30));
        CellLabel label = labels.stream().map(ConsumerRecord::value).filter(l -> slide.equals(l.getSlideId())).findFirst().get();
        assertThat(label.getLabel()).isEqualTo(CellClass.PARASITIZED);
        assertThat(label.getSource()).isEqualTo("microscopist:jdoe");
        assertThat(label.getComment()).isEqualTo("ring");
    }
}
