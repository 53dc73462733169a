package org.malariastream.schemas.registry;

import org.apache.avro.Schema;

/** Confluent's three ways of naming the subject a schema is registered under. */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}: Confluent's default. */
    TOPIC("TopicNameStrategy"),
    /** The record's full name, whatever the topic. */
    RECORD("RecordNameStrategy"),
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD("TopicRecordNameStrategy");

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";
    private final String simpleName;

    SubjectNameStrategy(String simpleName) {
        this.simpleName = simpleName;
    }

    public String simpleName() {
        return simpleName;
    }

    public String confluentClass() {
        return CONFLUENT_PACKAGE + simpleName;
    }

    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC -> topic + (isKey ? "-key" : "-value");
            case RECORD -> schema.getFullName();
            case TOPIC_RECORD -> topic + "-" + schema.getFullName();
        };
    }
}
