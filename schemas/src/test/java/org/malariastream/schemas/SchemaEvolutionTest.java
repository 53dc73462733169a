package org.malariastream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schemas are built to evolve: a reader with the next version of each schema (src/test/avro-next) reads
 * what the current one writes, and a current reader reads what the next version writes, new enum symbols
 * included.
 */
class SchemaEvolutionTest {
    private static final Map<String, Schema> NEXT = new HashMap<>();

    @BeforeAll
    static void parseNextVersions() throws IOException {
        AvroClassTrust.install();
        Schema.Parser parser = new Schema.Parser();
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("src/test/avro-next"))) {
            files = new ArrayList<>(list.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
        }
        // Enums first: the records refer to them by name.
        files.sort((a, b) -> Boolean.compare(isRecord(a), isRecord(b)));
        for (Path file : files) {
            Schema schema = parser.parse(file.toFile());
            NEXT.put(schema.getFullName(), schema);
        }
    }

    private static boolean isRecord(Path file) {
        try {
            return Files.readString(file).contains("\"record\"");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SpecificRecord> records() {
        return SampleRecords.oneOfEach();
    }

    @ParameterizedTest
    @MethodSource("records")
    void nextVersionReadsWhatTheCurrentOneWrites(SpecificRecord current) throws IOException {
        Schema currentSchema = current.getSchema();
        Schema next = next(currentSchema);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, currentSchema).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        byte[] bytes = writeSpecific(current);
        GenericRecord read = new GenericDatumReader<GenericRecord>(currentSchema, next, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        // Every current field survives: written back as the next version, it reads as the same record.
        assertThat(readAsCurrent(writeGeneric(read, next), next, currentSchema)).isEqualTo(current);
        Schema.Field added = next.getFields().get(next.getFields().size() - 1);
        assertThat(currentSchema.getField(added.name())).as("the next version adds a field").isNull();
        assertThat(read.get(added.name())).isEqualTo(added.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE
                ? null : added.defaultVal());
    }

    @ParameterizedTest
    @MethodSource("records")
    void currentVersionReadsWhatTheNextOneWritesIncludingNewEnumSymbols(SpecificRecord current) throws IOException {
        Schema currentSchema = current.getSchema();
        Schema next = next(currentSchema);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(currentSchema, next).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        // Re-read the current record as a next-version record, and give every enum the symbol that only
        // the next version knows.
        GenericRecord asNext = new GenericDatumReader<GenericRecord>(currentSchema, next)
                .read(null, DecoderFactory.get().binaryDecoder(writeSpecific(current), null));
        List<String> enumFields = new ArrayList<>();
        for (Schema.Field field : next.getFields()) {
            Schema enumSchema = enumIn(field.schema());
            if (enumSchema != null) {
                List<String> symbols = enumSchema.getEnumSymbols();
                asNext.put(field.name(), new GenericData.EnumSymbol(enumSchema, symbols.get(symbols.size() - 1)));
                enumFields.add(field.name());
            }
        }
        SpecificRecord read = readAsCurrent(writeGeneric(asNext, next), next, currentSchema);
        for (String name : enumFields) {
            Schema enumSchema = enumIn(currentSchema.getField(name).schema());
            assertThat(String.valueOf(read.get(currentSchema.getField(name).pos())))
                    .as("unknown symbol of %s falls back to the enum's default", name)
                    .isEqualTo(enumSchema.getEnumDefault());
        }
        assertThat(read.getClass()).isEqualTo(current.getClass());
    }

    @ParameterizedTest
    @MethodSource("records")
    void optionalFieldsHaveDefaultsAndEnumsHaveADefaultSymbol(SpecificRecord current) {
        for (Schema.Field field : current.getSchema().getFields()) {
            Schema schema = field.schema();
            if (schema.isNullable()) {
                assertThat(field.hasDefaultValue()).as("%s is optional and needs a default", field.name()).isTrue();
            }
            Schema enumSchema = enumIn(schema);
            if (enumSchema != null) {
                assertThat(enumSchema.getEnumDefault()).as("enum %s needs a default", enumSchema.getName()).isNotNull();
            }
        }
    }

    private static Schema next(Schema current) {
        Schema next = NEXT.get(current.getFullName());
        assertThat(next).as("src/test/avro-next has the next version of " + current.getFullName()).isNotNull();
        return next;
    }

    private static Schema enumIn(Schema schema) {
        if (schema.getType() == Schema.Type.ENUM) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() == Schema.Type.ENUM).findFirst().orElse(null);
        }
        return null;
    }

    private static byte[] writeGeneric(GenericRecord record, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static SpecificRecord readAsCurrent(byte[] bytes, Schema writer, Schema current) throws IOException {
        return new SpecificDatumReader<SpecificRecord>(writer, current, SpecificData.getForSchema(current))
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static byte[] writeSpecific(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForSchema(record.getSchema()))
                .write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
