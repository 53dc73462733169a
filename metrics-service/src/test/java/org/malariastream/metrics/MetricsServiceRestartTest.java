package org.malariastream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.malariastream.metrics.testing.CellRecords.T0;
import static org.malariastream.metrics.testing.CellRecords.label;
import static org.malariastream.metrics.testing.CellRecords.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.avro.SlideResult;
import org.malariastream.common.KafkaConnection;
import org.malariastream.metrics.testing.StackFixtures;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/**
 * The service on the embedded broker and registry: stopped and started again on its state it gives the
 * same numbers, counts nothing twice when records are re-delivered after the restart, and a fresh instance
 * that restores its state from the changelogs agrees too.
 */
@ExtendWith(LocalStackExtension.class)
class MetricsServiceRestartTest {
    private static final String VERSION = "it-restart";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void restartResumesFromItsStateWithUnchangedNumbers(LocalStack stack, @TempDir Path dir) throws Exception {
        KafkaConnection connection = StackFixtures.connection(stack);
        List<SpecificRecord> records = new ArrayList<>();
        List<SpecificRecord> predictions = new ArrayList<>();
        Random random = new Random(3);
        int cells = 0;
        for (int s = 0; s < 4; s++) {
            String slide = "restart-slide-" + s;
            Integer expected = s < 2 ? 300 : null; // two slides complete by count
            for (int c = 0; c < 300; c++) {
                boolean parasitized = random.nextDouble() < 0.2;
                double p = parasitized ? 0.6 + 0.4 * random.nextDouble() : 0.5 * random.nextDouble() * random.nextDouble();
                if (random.nextDouble() < 0.05) {
                    p = 1 - p; // some mistakes
                }
                // Labels first: a slide then completes with its labels in, and gets exactly one final result.
                records.add(label(slide, "c" + c, parasitized));
                predictions.add(prediction(slide, "c" + c, p, VERSION, T0.plusSeconds(c), expected));
                cells++;
            }
        }
        records.addAll(predictions);
        StackFixtures.send(connection, records);
        final int cellCount = cells;
        Path state = dir.resolve("state");

        JsonNode before;
        JsonNode slidesBefore;
        try (MetricsService first = new MetricsService(StackFixtures.config(connection, "it-restart", state)).start()) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> StackFixtures.modelCount(first.baseUrl(), VERSION) == cellCount);
            await().atMost(PATIENCE).until(() -> completeSlides(first.baseUrl()) == 2);
            before = stable(StackFixtures.get(first.baseUrl() + "/api/models/" + VERSION + "/metrics").json());
            slidesBefore = slides(first.baseUrl());
        }

        // Restarted on the same state directory: the same numbers, before and after re-deliveries.
        try (MetricsService second = new MetricsService(StackFixtures.config(connection, "it-restart", state)).start()) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> StackFixtures.modelCount(second.baseUrl(), VERSION) == cellCount);
            assertThat(stable(StackFixtures.get(second.baseUrl() + "/api/models/" + VERSION + "/metrics").json()))
                    .isEqualTo(before);
            assertThat(slides(second.baseUrl())).isEqualTo(slidesBefore);

            StackFixtures.send(connection, records.subList(900, 1500)); // re-delivered: must not count again
            String marker = "restart-marker";
            StackFixtures.send(connection, List.of(prediction(marker, "m", 0.1, "it-restart-marker", T0, null)));
            await().atMost(PATIENCE).until(() -> StackFixtures.get(second.baseUrl() + "/api/slides/" + marker).status() == 200);
            assertThat(stable(StackFixtures.get(second.baseUrl() + "/api/models/" + VERSION + "/metrics").json()))
                    .isEqualTo(before);
            assertThat(slides(second.baseUrl())).isEqualTo(slidesBefore);
        }

        // A new instance without local state restores it from the changelog topics: still the same.
        try (MetricsService third = new MetricsService(
                StackFixtures.config(connection, "it-restart", dir.resolve("fresh-state"))).start()) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> StackFixtures.modelCount(third.baseUrl(), VERSION) == cellCount);
            assertThat(stable(StackFixtures.get(third.baseUrl() + "/api/models/" + VERSION + "/metrics").json()))
                    .isEqualTo(before);
            assertThat(slides(third.baseUrl())).isEqualTo(slidesBefore);
        }

        // Exactly once: one final result per completed slide on results.slides, restarts or not.
        Map<String, Integer> finals = new HashMap<>();
        for (ConsumerRecord<String, Object> r : readAll(connection, Topics.RESULTS_SLIDES.name())) {
            if (r.key().startsWith("restart-slide-")) {
                finals.merge(r.key(), 1, Integer::sum);
                assertThat(((SlideResult) r.value()).getCellsClassified()).isEqualTo(300);
            }
        }
        assertThat(finals).containsOnlyKeys("restart-slide-0", "restart-slide-1").containsValues(1);
    }

    @Test
    void aCorrectedFinalResultStillOwedWhenTheServiceStopsGoesOutAfterItsRestart(LocalStack stack, @TempDir Path dir)
            throws Exception {
        KafkaConnection connection = StackFixtures.connection(stack);
        String version = "it-late-final";
        String slide = "late-final-" + System.nanoTime();
        StackFixtures.send(connection, List.of(label(slide, "c0", true), label(slide, "c1", false),
                prediction(slide, "c0", 0.9, version, T0, 3), prediction(slide, "c1", 0.1, version, T0, 3),
                prediction(slide, "c2", 0.2, version, T0, 3)));
        Path state = dir.resolve("state");
        // Emitting every 10 minutes: the corrected final result cannot go out before the stop.
        try (MetricsService first = new MetricsService(
                StackFixtures.config(connection, "it-late-final", state, Duration.ofMinutes(10))).start()) {
            await().atMost(PATIENCE).until(() -> labelledCells(first.baseUrl(), slide) == 2);
            assertThat(StackFixtures.get(first.baseUrl() + "/api/slides/" + slide).json().get("status").asText())
                    .isEqualTo("COMPLETE");
            StackFixtures.send(connection, List.of(label(slide, "c2", false))); // a late label
            await().atMost(PATIENCE).until(() -> labelledCells(first.baseUrl(), slide) == 3);
        }
        try (MetricsService second = new MetricsService(
                StackFixtures.config(connection, "it-late-final", state, Duration.ofMillis(500))).start()) {
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> finals(connection, slide)
                    .stream().anyMatch(r -> r.getLabelledCells() == 3));
        }
        assertThat(finals(connection, slide)).extracting(SlideResult::getLabelledCells)
                .as("the first final result, then the corrected one, once").containsExactly(2L, 3L);
    }

    private static long labelledCells(String baseUrl, String slide) {
        StackFixtures.Response r = StackFixtures.get(baseUrl + "/api/slides/" + slide);
        return r.status() == 200 ? r.json().get("labelledCells").asLong() : -1;
    }

    private static List<SlideResult> finals(KafkaConnection connection, String slide) {
        return readAll(connection, Topics.RESULTS_SLIDES.name()).stream().filter(r -> r.key().equals(slide))
                .map(r -> (SlideResult) r.value()).toList();
    }

    private static long completeSlides(String baseUrl) {
        StackFixtures.Response r = StackFixtures.get(baseUrl + "/api/slides?status=complete");
        if (r.status() != 200) {
            return -1;
        }
        long n = 0;
        for (JsonNode s : r.json()) {
            if (s.get("slideId").asText().startsWith("restart-slide-")) {
                n++;
            }
        }
        return n;
    }

    /** The restart slides without their times (updatedAt moves with activity, not with the numbers). */
    private static JsonNode slides(String baseUrl) {
        com.fasterxml.jackson.databind.node.ArrayNode out = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (int s = 0; s < 4; s++) {
            JsonNode slide = StackFixtures.get(baseUrl + "/api/slides/restart-slide-" + s).json();
            ((ObjectNode) slide).remove("updatedAt");
            out.add(slide);
        }
        return out;
    }

    private static JsonNode stable(JsonNode model) {
        ((ObjectNode) model.get("cumulative")).remove("updatedAt");
        model.get("windows").forEach(w -> ((ObjectNode) w).remove("updatedAt"));
        return model;
    }

    static List<ConsumerRecord<String, Object>> readAll(KafkaConnection connection, String topic) {
        List<ConsumerRecord<String, Object>> out = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(connection.consumer("read-" + System.nanoTime()))) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.currentTimeMillis();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < 3000) {
                var batch = consumer.poll(Duration.ofMillis(300));
                if (!batch.isEmpty() || consumer.assignment().isEmpty()) {
                    quietSince = System.currentTimeMillis();
                    batch.forEach(out::add);
                }
            }
        }
        return out;
    }
}
