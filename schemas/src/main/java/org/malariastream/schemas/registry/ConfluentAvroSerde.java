package org.malariastream.schemas.registry;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka Streams serde for one generated Avro class, in the Confluent wire format. */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    private final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();

    public ConfluentAvroSerde(Class<T> type) {
        this.type = type;
    }

    /** A serde configured with the registry settings (the generated classes are always read). */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> of(Class<T> type, Map<String, ?> registryConfig) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
        serde.configure(registryConfig, false);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withSpecific = new HashMap<>(configs);
        withSpecific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(withSpecific, isKey);
        deserializer.configure(withSpecific, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> serializer.serialize(topic, data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> type.cast(deserializer.deserialize(topic, data));
    }
}
