package org.malariastream.classifier.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.classifier.model.Locations;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.image.ImageLimits;
import org.malariastream.common.image.TestImages;
import org.malariastream.schemas.DeadLetters;
import org.malariastream.stack.LocalStack;

/**
 * A few hundred real cells and a handful of broken records through the service on a real broker and
 * registry: one committed prediction per good image, every bad record in the dead-letter topic.
 */
class ClassifierServiceTest {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.startTemporary(); // its own topics: no other test's images to classify
        CellImages.createTopics(stack, 3);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    static ClassifierSettings settings(String instance, int httpPort) {
        return new ClassifierSettings("classifier", instance, false, Locations.model(null), "cpu", 16, Duration.ofMillis(20),
                Duration.ofMillis(100), ImageLimits.DEFAULT, "127.0.0.1", httpPort);
    }

    @Test
    void siteSettingsCannotReplaceTheRawBytesTheLoopReadsNorCommitOffsetsOutsideTheTransactions() {
        KafkaConnection site = new KafkaConnection("127.0.0.1:9092", "http://127.0.0.1:8081", Map.of(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.confluent.kafka.serializers.KafkaAvroDeserializer",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7"));
        Map<String, Object> cfg = ClassifierService.consumerConfig(site, settings("cfg", 0));
        String raw = ByteArrayDeserializer.class.getName();
        assertThat(cfg).containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, raw)
                .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, raw)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .as("other site settings still win").containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7");
    }

    @Test
    void everyGoodImageGetsExactlyOnePredictionAndEveryBadRecordADeadLetter() throws Exception {
        List<CellImages.Cell> cells = CellImages.real(240, "svc");
        byte[] png = TestImages.realPng();
        List<CellImage> bad = List.of(
                CellImages.image("svc-bad", "empty", new byte[0]),
                CellImages.image("svc-bad", "truncated", Arrays.copyOf(png, png.length / 2)),
                CellImages.image("svc-bad", "not-an-image", "a text file, not a cell".getBytes(StandardCharsets.UTF_8)),
                CellImages.image("svc-bad", "huge", TestImages.pngHeaderClaiming(20_000, 20_000)),
                // Too large to carry in a dead letter under Kafka's 1 MiB limit: it used to stall every partition.
                CellImages.image("svc-bad", "too-large", new byte[1_100_000]));
        List<CellImage> all = new ArrayList<>(cells.stream().map(CellImages.Cell::image).toList());
        all.addAll(120, bad); // the poison sits in the middle of the stream
        CellImages.send(stack, all);
        CellImages.sendRaw(stack, "svc-raw", "{\"slideId\":\"svc-raw\"}".getBytes(StandardCharsets.UTF_8));
        CellImages.sendRaw(stack, "svc-raw", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});

        try (ClassifierService service = new ClassifierService(CellImages.connection(stack), settings("svc-1", 0))
                .start(settings("svc-1", 0))) {
            List<CellPrediction> predictions = CellImages.predictions(stack, cells.size(), Duration.ofMinutes(3));
            Map<String, Long> perEvent = predictions.stream()
                    .collect(Collectors.groupingBy(CellPrediction::getEventId, Collectors.counting()));
            assertThat(perEvent).hasSize(cells.size()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(
                    cells.stream().map(c -> c.image().getEventId()).toList());

            Map<String, CellClass> truth = cells.stream()
                    .collect(Collectors.toMap(c -> c.image().getEventId(), CellImages.Cell::truth));
            List<CellPrediction> confident = predictions.stream()
                    .filter(p -> p.getProbabilityParasitized() >= 0.9 || p.getProbabilityParasitized() <= 0.1).toList();
            long right = confident.stream().filter(p -> p.getLabel() == truth.get(p.getEventId())).count();
            assertThat(confident.size()).as("most cells are classified with confidence").isGreaterThan(cells.size() * 3 / 4);
            assertThat((double) right / confident.size()).as("confident labels agree with the microscopists").isGreaterThan(0.97);
            CellPrediction any = predictions.get(0);
            assertThat(any.getModelName()).isEqualTo("malaria-mnv2");
            assertThat(any.getThreshold()).isBetween(0.0, 1.0);
            assertThat(any.getExpectedCellCount()).isEqualTo(40);
            assertThat(any.getClassifiedAt()).isAfterOrEqualTo(any.getCapturedAt());

            List<DeadLetter> letters = CellImages.deadLetters(stack, 7, Duration.ofMinutes(1));
            Map<String, DeadLetter> byCell = letters.stream().filter(l -> l.getCellId() != null)
                    .collect(Collectors.toMap(DeadLetter::getCellId, Function.identity()));
            assertThat(byCell.get("empty").getReason()).isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
            assertThat(byCell.get("truncated").getReason()).isEqualTo(DeadLetterReason.TRUNCATED_IMAGE);
            assertThat(byCell.get("not-an-image").getReason()).isEqualTo(DeadLetterReason.NOT_AN_IMAGE);
            assertThat(byCell.get("huge").getReason()).isEqualTo(DeadLetterReason.DIMENSIONS_OUT_OF_RANGE);
            DeadLetter tooLarge = byCell.remove("too-large");
            assertThat(tooLarge.getReason()).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
            assertThat(tooLarge.getOriginalValue()).as("not carried: it stays at its source offset").isNull();
            assertThat(Integer.parseInt(tooLarge.getAttributes().get(DeadLetters.ORIGINAL_BYTES)))
                    .as("its size instead, the image's and its envelope's").isGreaterThan(1_100_000);
            assertThat(tooLarge.getSourceOffset()).isNotNull();
            assertThat(byCell.values()).allSatisfy(l -> {
                assertThat(l.getStage()).isEqualTo(DeadLetterStage.VALIDATION);
                assertThat(l.getService()).isEqualTo("classifier");
                assertThat(l.getSourceTopic()).isEqualTo("cells.images");
                assertThat(l.getOriginalValue().remaining()).isPositive();
            });
            List<DeadLetter> unreadable = letters.stream().filter(l -> l.getCellId() == null).toList();
            assertThat(unreadable).extracting(DeadLetter::getReason)
                    .containsExactlyInAnyOrder(DeadLetterReason.NOT_WIRE_FORMAT, DeadLetterReason.UNKNOWN_SCHEMA);
            assertThat(unreadable).allSatisfy(l -> {
                assertThat(l.getStage()).isEqualTo(DeadLetterStage.DESERIALIZATION);
                assertThat(l.getSlideId()).isEqualTo("svc-raw");
            });
            assertThat(unreadable).filteredOn(l -> l.getReason() == DeadLetterReason.NOT_WIRE_FORMAT).singleElement()
                    .satisfies(l -> assertThat(StandardCharsets.UTF_8.decode(l.getOriginalValue()).toString())
                            .isEqualTo("{\"slideId\":\"svc-raw\"}"));
            assertThat(letters).hasSize(7);

            String metrics = new String(new java.net.URL("http://127.0.0.1:" + service.httpPort() + "/metrics")
                    .openStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(metrics).contains("classifier_images_total{outcome=\"predicted\",service=\"classifier\"} 240.0")
                    .contains("classifier_dead_letters_total{reason=\"TRUNCATED_IMAGE\",service=\"classifier\"} 1.0")
                    .contains("classifier_batch_size").contains("classifier_end_to_end_seconds")
                    .contains("kafka_consumer_fetch_manager_records_lag_max");
            String health = new String(new java.net.URL("http://127.0.0.1:" + service.httpPort() + "/health")
                    .openStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(health).contains("\"status\":\"UP\"");
        }
    }
}
