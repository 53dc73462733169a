package org.malariastream.schemas.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.malariastream.schemas.AvroClassTrust;

/**
 * Reads Confluent-wire-format Avro: fetches the writer's schema by id from the registry (cached), and
 * returns a generated class instance ({@code specific.avro.reader=true}, resolving the writer's schema to
 * the class's own) or a GenericRecord. A drop-in for Confluent's {@code KafkaAvroDeserializer} for records.
 */
public class ConfluentAvroDeserializer implements Deserializer<Object> {
    static {
        AvroClassTrust.install();
    }

    private SchemaRegistryClient registry;
    private boolean specific;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    public ConfluentAvroDeserializer() {}

    /** For tests and tools that share one registry client. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs) {
        this.registry = registry;
        this.specific = new AvroSerdeConfig(configs).specificReader();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.specific = config.specificReader();
        this.registry = new SchemaRegistryClient(config);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<Object> reader = readers.computeIfAbsent(id, this::reader);
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(
                    data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Record on " + topic + " does not decode with schema id " + id
                    + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private DatumReader<Object> reader(int id) {
        Schema writer = registry.schemaById(id);
        if (!specific) {
            return new GenericDatumReader<>(writer);
        }
        Class<?> type = SpecificData.get().getClass(writer);
        if (type == null || writer.getType() != Schema.Type.RECORD) {
            throw new SerializationException("specific.avro.reader=true but no generated class for "
                    + writer.getFullName() + " (schema id " + id + ") is on the classpath");
        }
        Schema reader = SpecificData.get().getSchema(type);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }
}
