package org.malariastream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.malariastream.avro.CellImage;
import org.malariastream.schemas.SampleRecords;
import org.malariastream.schemas.Topics;

/**
 * What the serdes must do against a real broker and a real Confluent-API registry. Subclasses say where
 * those run: the embedded stack (always) or containers (where Docker is).
 */
abstract class AvroSerdeContract {
    abstract String bootstrapServers();

    abstract String schemaRegistryUrl();

    @Test
    void cellImageRoundTripsThroughKafkaAndTheRegistry() throws Exception {
        String topic = Topics.CELL_IMAGES.name();
        CellImage sent = SampleRecords.realCellImage();
        produce(topic, sent.getSlideId(), sent);

        List<ConsumerRecord<String, Object>> received = consume(topic, specificDeserializerConfig());
        assertThat(received).extracting(ConsumerRecord::value).contains(sent);
        ConsumerRecord<String, Object> mine = received.stream().filter(r -> sent.equals(r.value())).findFirst().get();
        assertThat(mine.key()).isEqualTo(sent.getSlideId());

        String subjects = httpGet(schemaRegistryUrl() + "/subjects");
        assertThat(new ObjectMapper().readValue(subjects, List.class)).contains("cells.images-value");
    }

    @Test
    void theSameBytesDecodeWithTheSchemaFetchedOverTheConfluentApi() throws Exception {
        String topic = "contract.raw-bytes";
        CellImage sent = SampleRecords.realCellImage();
        produce(topic, sent.getSlideId(), sent);

        Map<String, Object> raw = consumerConfig();
        raw.put("value.deserializer", ByteArrayDeserializer.class.getName());
        byte[] bytes = (byte[]) consume(topic, raw).get(0).value();
        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        var answer = new ObjectMapper().readTree(httpGet(schemaRegistryUrl() + "/schemas/ids/" + id));
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(decoded.get("eventId").toString()).isEqualTo(sent.getEventId());
        assertThat(decoded.get("slideId").toString()).isEqualTo(sent.getSlideId());
        assertThat(decoded.get("capturedAt")).isEqualTo(sent.getCapturedAt().toEpochMilli());
        assertThat(decoded.get("format").toString()).isEqualTo("PNG");
        assertThat(((ByteBuffer) decoded.get("image")).array()).isEqualTo(sent.getImage().array());

        String latest = httpGet(schemaRegistryUrl() + "/subjects/" + topic + "-value/versions/latest");
        assertThat(new ObjectMapper().readTree(latest).get("id").asInt()).isEqualTo(id);
    }

    @Test
    void genericReaderReturnsGenericRecordsWhenSpecificReaderIsOff() {
        String topic = "contract.generic";
        CellImage sent = SampleRecords.realCellImage();
        produce(topic, sent.getSlideId(), sent);
        Map<String, Object> generic = consumerConfig();
        generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        Object value = consume(topic, generic).get(0).value();
        assertThat(value).isInstanceOf(GenericRecord.class).isNotInstanceOf(CellImage.class);
        assertThat(((GenericRecord) value).get("cellId").toString()).isEqualTo(sent.getCellId());
    }

    void produce(String topic, String key, Object value) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrapServers());
        cfg.put("acks", "all");
        cfg.put("enable.idempotence", true);
        // Serializer chosen by class name, as a site would name Confluent's KafkaAvroSerializer instead.
        cfg.put("key.serializer", StringSerializer.class.getName());
        cfg.put("value.serializer", ConfluentAvroSerializer.class.getName());
        cfg.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(cfg)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce failed", e);
        }
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("bootstrap.servers", bootstrapServers());
        cfg.put("group.id", "contract-" + System.nanoTime());
        cfg.put("auto.offset.reset", "earliest");
        cfg.put("key.deserializer", StringDeserializer.class.getName());
        cfg.put("value.deserializer", ConfluentAvroDeserializer.class.getName());
        cfg.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        return cfg;
    }

    Map<String, Object> specificDeserializerConfig() {
        Map<String, Object> cfg = consumerConfig();
        cfg.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        return cfg;
    }

    static List<ConsumerRecord<String, Object>> consume(String topic, Map<String, Object> cfg) {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(cfg)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, Object>> out = new java.util.ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            assertThat(out).as("records on " + topic).isNotEmpty();
            return out;
        }
    }

    static String httpGet(String url) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(url + " -> " + res.body()).isEqualTo(200);
        return res.body();
    }
}
