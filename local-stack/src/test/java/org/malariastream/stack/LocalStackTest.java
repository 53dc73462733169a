package org.malariastream.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.malariastream.stack.junit.LocalStackExtension;

@ExtendWith(LocalStackExtension.class)
class LocalStackTest {
    private final LocalStack injectedIntoConstructor;

    LocalStackTest(LocalStack stack) {
        this.injectedIntoConstructor = stack;
    }
    private static final String SCHEMA =
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"T\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    @Test
    void extensionGivesTheSameRunningStackToEveryTest(LocalStack stack) {
        assertThat(stack).isSameAs(injectedIntoConstructor);
        assertThat(FreePorts.isListening(stack.broker().port())).isTrue();
        assertThat(ApicurioRegistry.isReady(stack.schemaRegistryUrl())).isTrue();
    }

    @Test
    void sharedStackCarriesRecords(LocalStack stack) {
        produce(stack.bootstrapServers(), "local-stack-roundtrip", "slide-1", "hello");
        assertThat(consumeAll(stack.bootstrapServers(), "local-stack-roundtrip"))
                .containsExactly(Map.entry("slide-1", "hello"));
    }

    @Test
    void brokerAndRegistryKeepTheirDataAcrossARestart(@TempDir Path dir) throws Exception {
        String schemaId;
        int brokerPort;
        int registryPort;
        try (LocalStack first = LocalStack.start(dir, true, false)) {
            produce(first.bootstrapServers(), "survives", "k", "v1");
            schemaId = post(first.schemaRegistryUrl() + "/subjects/survives-value/versions", SCHEMA);
        }
        try (LocalStack second = LocalStack.start(dir, true, false)) {
            assertThat(consumeAll(second.bootstrapServers(), "survives")).containsExactly(Map.entry("k", "v1"));
            String body = get(second.schemaRegistryUrl() + "/schemas/ids/" + schemaId.replaceAll("\\D", ""));
            assertThat(body).contains("\\\"name\\\":\\\"T\\\"");
            brokerPort = second.broker().port();
            registryPort = second.registry().port();
        }
        assertThat(FreePorts.isListening(brokerPort)).as("broker stopped").isFalse();
        assertThat(FreePorts.isListening(registryPort)).as("registry stopped").isFalse();
    }

    static void produce(String bootstrap, String topic, String key, String value) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", bootstrap, "acks", "all");
        try (var producer = new KafkaProducer<>(cfg, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce failed", e);
        }
    }

    static List<Map.Entry<String, String>> consumeAll(String bootstrap, String topic) {
        Map<String, Object> cfg = Map.of("bootstrap.servers", bootstrap, "group.id", "t-" + System.nanoTime(),
                "auto.offset.reset", "earliest");
        List<Map.Entry<String, String>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (out.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(Map.entry(r.key(), r.value()));
                }
            }
        }
        return out;
    }

    static String post(String url, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body();
    }

    static String get(String url) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.body();
    }
}
