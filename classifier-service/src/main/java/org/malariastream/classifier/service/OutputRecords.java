package org.malariastream.classifier.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.classifier.model.ModelSpec;
import org.malariastream.schemas.DeadLetters;

/** The records the classifier writes: one prediction per good image, one dead letter per bad record. */
final class OutputRecords {
    static final String SERVICE = "classifier";

    private final ModelSpec model;
    private final String instanceId;

    OutputRecords(ModelSpec model, String instanceId) {
        this.model = model;
        this.instanceId = instanceId;
    }

    CellPrediction prediction(CellImage image, double probability, Instant classifiedAt) {
        return CellPrediction.newBuilder()
                .setEventId(image.getEventId())
                .setScannerId(image.getScannerId())
                .setSlideId(image.getSlideId())
                .setCellId(image.getCellId())
                .setPatientRef(image.getPatientRef())
                .setLabel(probability >= model.threshold() ? CellClass.PARASITIZED : CellClass.UNINFECTED)
                .setProbabilityParasitized(probability)
                .setThreshold(model.threshold())
                .setModelName(model.name())
                .setModelVersion(model.version())
                .setCapturedAt(image.getCapturedAt())
                .setClassifiedAt(classifiedAt)
                .setExpectedCellCount(image.getExpectedCellCount())
                .build();
    }

    DeadLetter deadLetter(PreparedBatch.Rejected r, Instant now) {
        ConsumerRecord<byte[], byte[]> record = r.record();
        return DeadLetters.withOriginalKey(DeadLetters.withOriginalValue(DeadLetter.newBuilder()
                .setService(SERVICE)
                .setStage(r.stage())
                .setReason(r.reason())
                .setMessage(r.message() == null ? r.reason().name() : r.message())
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setEventId(r.image() == null ? null : r.image().getEventId())
                .setSlideId(r.image() == null ? keyText(record) : r.image().getSlideId())
                .setCellId(r.image() == null ? null : r.image().getCellId())
                .setOccurredAt(now)
                .setAttributes(Map.of("instance", instanceId, "model", model.name() + ":" + model.version())),
                        record.value()), record.key())
                .build();
    }

    /** The dead letter's Kafka key: the slide, as on the source topic. */
    static String key(ConsumerRecord<byte[], byte[]> record, CellImage image) {
        return image != null ? image.getSlideId() : keyText(record);
    }

    private static String keyText(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : DeadLetters.shortId(new String(record.key(), StandardCharsets.UTF_8));
    }
}
