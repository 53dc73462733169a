package org.malariastream.metrics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.malariastream.metrics.testing.CellRecords.T0;
import static org.malariastream.metrics.testing.CellRecords.label;
import static org.malariastream.metrics.testing.CellRecords.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.common.KafkaConnection;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.testing.StackFixtures;
import org.malariastream.metrics.topology.MetricsTopology;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/** Several instances share the work; each answers every query, fetching what the others own. */
@ExtendWith(LocalStackExtension.class)
class HttpApiTest {
    private static final String VERSION = "it-http";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Test
    void everyInstanceAnswersEveryQueryFromTheStateStores(LocalStack stack, @TempDir Path dir) {
        KafkaConnection connection = StackFixtures.connection(stack);
        List<SpecificRecord> records = new ArrayList<>();
        int slides = 8;
        for (int s = 0; s < slides; s++) {
            String slide = "http-slide-" + s;
            Integer expected = s % 2 == 0 ? 10 : null; // the even slides complete by count
            for (int c = 0; c < 10; c++) {
                boolean parasitized = c < s % 4;
                records.add(label(slide, "c" + c, parasitized));
                records.add(prediction(slide, "c" + c, parasitized ? 0.9 : (c == 9 ? 0.7 : 0.1), VERSION,
                        T0.plusSeconds(c), expected));
            }
        }
        StackFixtures.send(connection, records);

        // Three instances for four tasks (two partitions, two sub-topologies): one of them runs at most one task,
        // so it lacks a store and must still list everything from the others.
        try (MetricsService a = instance(connection, dir.resolve("a"));
                MetricsService b = instance(connection, dir.resolve("b"));
                MetricsService c = instance(connection, dir.resolve("c"))) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> Stream.of(a, b, c).allMatch(i ->
                    StackFixtures.modelCount(i.baseUrl(), VERSION) == slides * 10
                            && complete(i.baseUrl()) == slides / 2));

            // The work is shared: each instance owns some slides (the input has two partitions).
            Set<String> owners = new HashSet<>();
            for (int s = 0; s < slides; s++) {
                KeyQueryMetadata meta = a.streams().queryMetadataForKey(MetricsTopology.SLIDES_STORE, "http-slide-" + s,
                        Serdes.String().serializer());
                owners.add(meta.activeHost().toString());
            }
            assertThat(owners).as("the instances share the slides").hasSizeGreaterThanOrEqualTo(2);

            for (MetricsService instance : List.of(a, b, c)) {
                String base = instance.baseUrl();
                JsonNode models = StackFixtures.get(base + "/api/models").json();
                JsonNode mine = null;
                for (JsonNode m : models) {
                    if (m.get("modelVersion").asText().equals(VERSION)) {
                        mine = m;
                    }
                }
                assertThat(mine).as("model %s listed by %s", VERSION, base).isNotNull();
                assertThat(mine.get("count").asLong()).isEqualTo(80);

                JsonNode detail = StackFixtures.get(base + "/api/models/" + VERSION + "/metrics").json();
                JsonNode cumulative = detail.get("cumulative");
                // Labelled parasitized per slide: s % 4 cells; c9 predicted parasitized where it is not (FP).
                long positives = 0;
                for (int s = 0; s < slides; s++) {
                    positives += s % 4;
                }
                long falsePositives = slides; // c9 of every slide: predicted 0.7, labelled uninfected
                assertThat(cumulative.get("truePositives").asLong()).isEqualTo(positives);
                assertThat(cumulative.get("falsePositives").asLong()).isEqualTo(falsePositives);
                assertThat(cumulative.get("falseNegatives").asLong()).isZero();
                assertThat(cumulative.get("sensitivity").asDouble()).isEqualTo(1.0);
                assertThat(cumulative.get("roc").size()).isGreaterThan(1);
                assertThat(detail.get("windows").size()).isEqualTo(1);
                assertThat(detail.get("windows").get(0).get("count").asLong()).isEqualTo(80);
                // The full key works as well as the version alone.
                assertThat(StackFixtures.get(base + "/api/models/" + detail.get("model").asText() + "/metrics").status())
                        .isEqualTo(200);

                for (int s = 0; s < slides; s++) {
                    JsonNode slide = StackFixtures.get(base + "/api/slides/http-slide-" + s).json();
                    assertThat(slide.get("cellsClassified").asLong()).isEqualTo(10);
                    assertThat(slide.get("cellsPredictedParasitized").asLong()).isEqualTo(s % 4 + 1);
                    assertThat(slide.get("parasitaemiaPct").asDouble()).isEqualTo(10.0 * (s % 4 + 1));
                    assertThat(slide.get("labelledParasitaemiaPct").asDouble()).isEqualTo(10.0 * (s % 4));
                    assertThat(slide.get("status").asText()).isEqualTo(s % 2 == 0 ? "COMPLETE" : "IN_PROGRESS");
                }
                JsonNode complete = StackFixtures.get(base + "/api/slides?status=complete").json();
                Set<String> completeIds = new HashSet<>();
                complete.forEach(n -> completeIds.add(n.get("slideId").asText()));
                assertThat(completeIds).contains("http-slide-0", "http-slide-2", "http-slide-4", "http-slide-6")
                        .doesNotContain("http-slide-1", "http-slide-3");

                assertThat(StackFixtures.get(base + "/api/slides/no-such-slide").status()).isEqualTo(404);
                assertThat(StackFixtures.get(base + "/api/models/no-such-version/metrics").status()).isEqualTo(404);
                assertThat(StackFixtures.get(base + "/api/slides?status=lost").status()).isEqualTo(400);
                assertThat(StackFixtures.get(base + "/health").status()).isEqualTo(200);

                StackFixtures.Response metrics = StackFixtures.get(base + "/metrics");
                assertThat(metrics.status()).isEqualTo(200);
                assertThat(metrics.body()).contains("malaria_metrics_records_total")
                        .contains("kafka_stream_thread_process_total").contains("jvm_memory_used_bytes");
            }
        }
    }

    private static MetricsService instance(KafkaConnection connection, Path state) {
        return new MetricsService(StackFixtures.config(connection, "it-http", state)).start();
    }

    private static long complete(String baseUrl) {
        StackFixtures.Response r = StackFixtures.get(baseUrl + "/api/slides?status=complete");
        if (r.status() != 200) {
            return -1;
        }
        long n = 0;
        for (JsonNode s : r.json()) {
            if (s.get("slideId").asText().startsWith("http-slide-")) {
                n++;
            }
        }
        return n;
    }
}
