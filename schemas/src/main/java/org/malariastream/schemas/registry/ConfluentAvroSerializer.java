package org.malariastream.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.malariastream.schemas.AvroClassTrust;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering or looking up their
 * schema through the Confluent Schema Registry API. A drop-in for Confluent's {@code KafkaAvroSerializer}
 * for records: same configuration keys, same bytes, same subjects.
 */
public class ConfluentAvroSerializer implements Serializer<Object> {
    static {
        AvroClassTrust.install();
    }

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private SubjectNameStrategy subjects;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public ConfluentAvroSerializer() {}

    /** For tests and tools that share one registry client. */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        init(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        init(configs, isKey);
        this.registry = new SchemaRegistryClient(config);
    }

    private void init(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        this.subjects = config.subjectNameStrategy(isKey);
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("ConfluentAvroSerializer used before configure()");
        }
        if (!(data instanceof IndexedRecord record)) {
            throw new SerializationException("Only Avro records can be written to " + topic + "; got "
                    + data.getClass().getName());
        }
        Schema schema = record.getSchema();
        String subject = subjects.subject(topic, isKey, schema);
        if (!config.autoRegister() && config.useLatestVersion()) {
            return writeAsLatest(topic, subject, record);
        }
        int id = config.autoRegister() ? registry.register(subject, schema) : registry.lookup(subject, schema);
        return write(topic, id, schema, record);
    }

    private byte[] write(String topic, int id, Schema schema, IndexedRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.header(id));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(schema, record).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " to " + topic
                    + " as Avro: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes must be in the schema their id names, as Confluent's serializer writes them: a record of another
     * schema (a producer built on an older version) is resolved into the latest one first, by Avro's rules.
     */
    private byte[] writeAsLatest(String topic, String subject, IndexedRecord record) {
        int id = registry.latestId(subject);
        Schema latest = registry.schemaById(id);
        Schema own = record.getSchema();
        if (latest.equals(own)) {
            return write(topic, id, own, record);
        }
        GenericRecord resolved;
        try {
            byte[] ownBytes = write(topic, id, own, record);
            resolved = new GenericDatumReader<GenericRecord>(own, latest).read(null, DecoderFactory.get()
                    .binaryDecoder(ownBytes, WireFormat.HEADER_SIZE, ownBytes.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | AvroTypeException e) {
            throw new SerializationException("Cannot write " + own.getFullName() + " to " + topic + " in the latest"
                    + " schema of " + subject + " (id " + id + "): it cannot read this record (" + e.getMessage()
                    + "). Register the record's schema, or set use.latest.version=false.", e);
        }
        return write(topic, id, latest, resolved);
    }

    private DatumWriter<Object> writer(Schema schema, IndexedRecord record) {
        return writers.computeIfAbsent(schema, s -> record instanceof SpecificRecord
                ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                : new GenericDatumWriter<>(s));
    }
}
