package org.malariastream.common;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.malariastream.schemas.registry.AvroSerdeConfig;
import org.malariastream.schemas.registry.ConfluentAvroDeserializer;
import org.malariastream.schemas.registry.ConfluentAvroSerializer;

/**
 * Resolved connection settings and the client configurations built from them. Extra properties come last,
 * so a site can override any default here, including the serializer classes (Confluent's
 * {@code io.confluent.kafka.serializers.KafkaAvroSerializer} works in place of ours).
 */
public record KafkaConnection(String bootstrapServers, String schemaRegistryUrl, Map<String, Object> extraProperties) {
    public KafkaConnection {
        extraProperties = Map.copyOf(extraProperties);
    }

    /** Settings every client shares: brokers, registry and the extras (security, auth). */
    public Map<String, Object> common() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cfg.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        cfg.putAll(extraProperties);
        return cfg;
    }

    /** An idempotent producer ({@code acks=all}) of String keys and Avro values. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
        cfg.putAll(common());
        return cfg;
    }

    /** A read_committed consumer of String keys and Avro values read into the generated classes. */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConfluentAvroDeserializer.class.getName());
        cfg.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        cfg.putAll(common());
        return cfg;
    }

    /** A consumer that hands over raw value bytes, for services that must keep what they cannot read. */
    public Map<String, Object> rawConsumer(String groupId) {
        Map<String, Object> cfg = consumer(groupId);
        cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return cfg;
    }

    public Map<String, Object> admin() {
        return common();
    }
}
