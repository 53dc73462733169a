package org.malariastream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.ImageFormat;
import org.malariastream.avro.IngestChannel;
import org.malariastream.avro.SlideResult;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.TopicInitializer;
import org.malariastream.common.dataset.NihLayout;
import org.malariastream.ingest.replay.DatasetReplay;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;

/**
 * The whole chain on the embedded stack: real cells of several slides through ingest (replay with labels),
 * the classifier and the metrics service, with a burst of poison records mixed in. Every cell gets one
 * prediction, and the model metrics, slide results and FHIR reports are what the predictions imply.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;
    private static KafkaConnection connection;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.startTemporary();
        connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
        TopicInitializer.ensureTopics(connection.admin(), Optional.of(3));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    static RunningSystem.Settings settings(Path dir) {
        MetricsSettings m = MetricsSettings.defaults();
        return new RunningSystem.Settings(dir.resolve("state"), null, RunningSystem.defaultModel(), "127.0.0.1", 0, 0, 0,
                new MetricsSettings(m.window(), m.windowRetention(), Duration.ofMinutes(30), Duration.ofMillis(300),
                        m.presenceThresholdPct(), m.rocPoints(), m.slidePriorSharpen()),
                Duration.ofMillis(300));
    }

    @Test
    void everyCellIsClassifiedOnceAndTheResultsMatchThePredictions(@TempDir Path dir) throws Exception {
        Map<String, List<NihLayout.CellFile>> slides = TestDatasets.slides(dir.resolve("cell_images"), 6, 25, 60);
        int cells = slides.values().stream().mapToInt(List::size).sum();
        assertThat(slides).hasSize(6);

        try (RunningSystem system = RunningSystem.start(connection, settings(dir))) {
            sendPoison(12);
            DatasetReplay.Summary replay = new DatasetReplay(new DatasetReplay.Settings(dir.resolve("cell_images"),
                    "e2e", 0, 0, true, 500), system.intake).run(new NoProgress());
            assertThat(replay.published()).isEqualTo(cells);

            List<CellPrediction> predictions = Chain.readCommitted(connection, Topics.CELL_PREDICTIONS.name(), cells, Duration.ofMinutes(3));
            Map<String, List<CellPrediction>> perEvent = predictions.stream().collect(Collectors.groupingBy(CellPrediction::getEventId));
            assertThat(perEvent).hasSize(cells).allSatisfy((id, list) -> assertThat(list).as(id).hasSize(1));

            // What the predictions imply, computed here from them and the folder labels.
            Map<String, CellClass> truth = slides.values().stream().flatMap(List::stream)
                    .collect(Collectors.toMap(c -> c.name().slide() + "/" + c.name().cellId(), NihLayout.CellFile::label));
            long tp = 0;
            long fp = 0;
            long tn = 0;
            long fn = 0;
            for (CellPrediction p : predictions) {
                boolean predicted = p.getLabel() == CellClass.PARASITIZED;
                boolean actual = truth.get(p.getSlideId() + "/" + p.getCellId()) == CellClass.PARASITIZED;
                if (predicted && actual) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (actual) {
                    fn++;
                } else {
                    tn++;
                }
            }
            String base = system.qaPage();
            JsonNode model = awaitJson(base + "api/models", json -> json.size() == 1 && json.get(0).get("count").asLong() == cells);
            JsonNode m = model.get(0);
            assertThat(m.get("truePositives").asLong()).isEqualTo(tp);
            assertThat(m.get("falsePositives").asLong()).isEqualTo(fp);
            assertThat(m.get("trueNegatives").asLong()).isEqualTo(tn);
            assertThat(m.get("falseNegatives").asLong()).isEqualTo(fn);
            assertThat(m.get("accuracy").asDouble()).isCloseTo((double) (tp + tn) / cells, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(m.get("auc").asDouble()).isGreaterThan(0.9);

            for (Map.Entry<String, List<NihLayout.CellFile>> slide : slides.entrySet()) {
                List<CellPrediction> ofSlide = predictions.stream().filter(p -> p.getSlideId().equals(slide.getKey())).toList();
                long predictedPositive = ofSlide.stream().filter(p -> p.getLabel() == CellClass.PARASITIZED).count();
                long labelledPositive = slide.getValue().stream().filter(c -> c.label() == CellClass.PARASITIZED).count();
                JsonNode s = awaitJson(base + "api/slides/" + slide.getKey(),
                        json -> "COMPLETE".equals(json.path("status").asText()) && json.path("labelledCells").asLong() == ofSlide.size());
                assertThat(s.get("cellsClassified").asLong()).isEqualTo(slide.getValue().size());
                assertThat(s.get("cellsPredictedParasitized").asLong()).isEqualTo(predictedPositive);
                assertThat(s.get("parasitaemiaPct").asDouble()).isCloseTo(100.0 * predictedPositive / ofSlide.size(),
                        org.assertj.core.data.Offset.offset(1e-9));
                assertThat(s.get("labelledParasitaemiaPct").asDouble()).isCloseTo(100.0 * labelledPositive / ofSlide.size(),
                        org.assertj.core.data.Offset.offset(1e-9));
            }

            List<SlideResult> finals = Chain.readCommitted(connection, Topics.RESULTS_SLIDES.name(), slides.size(), Duration.ofMinutes(1));
            assertThat(finals.stream().map(SlideResult::getSlideId).distinct()).containsExactlyInAnyOrderElementsOf(slides.keySet());
            List<String> fhir = Chain.readCommittedStrings(connection, Topics.RESULTS_SLIDES_FHIR, slides.size(), Duration.ofMinutes(1));
            for (String slide : slides.keySet()) {
                assertThat(fhir).as("a FHIR report for " + slide).anyMatch(r -> r.contains("\"DiagnosticReport\"") && r.contains(slide));
            }

            List<DeadLetter> letters = Chain.readCommitted(connection, Topics.CELL_IMAGES_DLQ.name(), 12, Duration.ofMinutes(1));
            assertThat(letters).hasSize(12);
        }
    }

    /** Records that no door would let through, written straight to cells.images among the good ones. */
    private static void sendPoison(int count) {
        Map<String, Object> cfg = connection.producer("poison");
        try (KafkaProducer<String, Object> avro = new KafkaProducer<>(cfg);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(connection.common(), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                if (i % 2 == 0) {
                    raw.send(new ProducerRecord<>(Topics.CELL_IMAGES.name(), "poison", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
                } else {
                    avro.send(new ProducerRecord<>(Topics.CELL_IMAGES.name(), "poison", CellImage.newBuilder()
                            .setEventId("poison-" + i).setScannerId("x").setSlideId("poison").setCellId("p" + i)
                            .setCapturedAt(Instant.now()).setFormat(ImageFormat.PNG).setImage(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                            .setWidth(1).setHeight(1).setChannel(IngestChannel.OTHER).build()));
                }
            }
        }
    }

    private static JsonNode awaitJson(String url, java.util.function.Predicate<JsonNode> ready) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
                last = JSON.readTree(res.body());
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not ready in time: " + url + " -> " + last);
    }

    static final class NoProgress implements DatasetReplay.Progress {
        @Override
        public void started(int total) {
        }

        @Override
        public void advanced(int done, int rejected) {
        }
    }
}
