package org.malariastream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.malariastream.stack.LocalStack;
import org.malariastream.stack.junit.LocalStackExtension;

/**
 * {@code use.latest.version=true}: a producer built on an older schema writes under the subject's latest id,
 * so its bytes must be in that schema, as Confluent's serializer writes them.
 */
@ExtendWith(LocalStackExtension.class)
class UseLatestVersionTest {
    private static final Schema V1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Latest\","
            + "\"namespace\":\"probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    /** An optional field first: bytes of V1 read as V2 would take the string's length for the union's branch. */
    private static final Schema V2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Latest\","
            + "\"namespace\":\"probe\",\"fields\":[{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"a\",\"type\":\"string\"}]}");

    @Test
    void anOlderRecordIsWrittenInTheLatestSchemaItsIdNames(LocalStack stack) {
        String topic = "latest.probe." + System.nanoTime();
        SchemaRegistryClient client = new SchemaRegistryClient(new AvroSerdeConfig(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl())));
        client.register(topic + "-value", V1);
        int latest = client.register(topic + "-value", V2);

        ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl(),
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false, AvroSerdeConfig.USE_LATEST_VERSION, true), false);
        GenericRecord old = new GenericData.Record(V1);
        old.put("a", "a value long enough to be read as a union branch");
        byte[] bytes = serializer.serialize(topic, old);
        assertThat(WireFormat.schemaId(topic, bytes)).isEqualTo(latest);

        ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()), false);
        GenericRecord read = (GenericRecord) deserializer.deserialize(topic, bytes);
        assertThat(read.getSchema()).isEqualTo(V2);
        assertThat(read.get("a")).hasToString("a value long enough to be read as a union branch");
        assertThat(read.get("note")).isNull();

        GenericRecord current = new GenericData.Record(V2);
        current.put("a", "x");
        current.put("note", "n");
        GenericRecord same = (GenericRecord) deserializer.deserialize(topic, serializer.serialize(topic, current));
        assertThat(same.get("note")).as("a record of the latest schema is written as it is").hasToString("n");
    }
}
