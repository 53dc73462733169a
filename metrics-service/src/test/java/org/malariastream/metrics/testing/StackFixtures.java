package org.malariastream.metrics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.avro.specific.SpecificRecord;
import org.malariastream.common.KafkaConnection;
import org.malariastream.common.TopicInitializer;
import org.malariastream.metrics.MetricsService;
import org.malariastream.metrics.topology.MetricsSettings;
import org.malariastream.schemas.Topics;
import org.malariastream.stack.LocalStack;

/** Services, producers and HTTP calls against the embedded stack, for the integration tests. */
public final class StackFixtures {
    public static final int PARTITIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StackFixtures() {}

    /** The project's topics with two partitions, so tasks, repartitioning and merging are all exercised. */
    public static KafkaConnection connection(LocalStack stack) {
        KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.schemaRegistryUrl(), Map.of());
        TopicInitializer.ensureTopics(connection.admin(), Optional.of(PARTITIONS));
        return connection;
    }

    public static MetricsService.Config config(KafkaConnection connection, String applicationId, Path stateDir) {
        return config(connection, applicationId, stateDir, Duration.ofMillis(500));
    }

    /** The same with another emit interval (running results, snapshots, corrected final results). */
    public static MetricsService.Config config(KafkaConnection connection, String applicationId, Path stateDir,
            Duration emitInterval) {
        return new MetricsService.Config(connection, applicationId, stateDir, "127.0.0.1", 0, "127.0.0.1", 1,
                Duration.ofMillis(100), 8L * 1024 * 1024,
                new MetricsSettings(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofMinutes(10),
                        emitInterval, 3.0, 100, 1.25),
                false);
    }

    /** Sends and waits for the broker's acknowledgement of every record. */
    public static void send(KafkaConnection connection, List<? extends SpecificRecord> records) {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(connection.producer("metrics-test"))) {
            for (SpecificRecord r : records) {
                String topic = r instanceof org.malariastream.avro.CellPrediction ? Topics.CELL_PREDICTIONS.name()
                        : Topics.CELL_LABELS.name();
                String key = String.valueOf(r.get(r.getSchema().getField("slideId").pos()));
                producer.send(new ProducerRecord<>(topic, key, r));
            }
            producer.flush();
        }
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public static Response get(String url) {
        try {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Response(res.statusCode(), res.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The cumulative count of a model version as the API reports it, or -1 while it has none. */
    public static long modelCount(String baseUrl, String version) {
        Response r = get(baseUrl + "/api/models/" + version + "/metrics");
        return r.status() == 200 ? r.json().get("cumulative").get("count").asLong() : -1;
    }
}
