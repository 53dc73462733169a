package org.malariastream.classifier.service;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.schemas.registry.AvroSerdeConfig;
import org.malariastream.schemas.registry.ConfluentAvroDeserializer;
import org.malariastream.schemas.registry.SchemaRegistryException;
import org.malariastream.schemas.registry.SchemaRegistryUnavailableException;
import org.malariastream.schemas.registry.WireFormat;

/**
 * Turns a raw {@code cells.images} record into a {@link CellImage}, or says why it cannot: the service reads
 * bytes itself so that a record it cannot read goes to the dead-letter topic whole, and the partition moves
 * on. A registry that is down is not the record's fault: that error is thrown, to be retried.
 */
final class RecordReader {
    /** A record read, or the reason it could not be. */
    sealed interface Read permits Read.Ok, Read.Bad {
        record Ok(CellImage image) implements Read {}

        record Bad(DeadLetterReason reason, String message) implements Read {}
    }

    private final ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();

    RecordReader(Map<String, Object> registryConfig) {
        Map<String, Object> cfg = new java.util.HashMap<>(registryConfig);
        cfg.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        deserializer.configure(cfg, false);
    }

    /** @throws SchemaRegistryUnavailableException when the registry cannot be asked: retry later */
    Read read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            return new Read.Bad(DeadLetterReason.EMPTY_PAYLOAD, "the record has no value");
        }
        Object value;
        try {
            value = deserializer.deserialize(record.topic(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (WireFormat.NotWireFormatException e) {
            return new Read.Bad(DeadLetterReason.NOT_WIRE_FORMAT, e.getMessage());
        } catch (SchemaRegistryException e) {
            return new Read.Bad(e.errorCode() == 40403 ? DeadLetterReason.UNKNOWN_SCHEMA : DeadLetterReason.MALFORMED_RECORD,
                    e.getMessage());
        } catch (SerializationException e) {
            return new Read.Bad(DeadLetterReason.MALFORMED_RECORD, e.getMessage());
        }
        if (!(value instanceof CellImage image)) {
            return new Read.Bad(DeadLetterReason.MALFORMED_RECORD, "the record is a "
                    + value.getClass().getSimpleName() + ", not a CellImage");
        }
        return new Read.Ok(image);
    }
}
