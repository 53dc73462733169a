package org.malariastream.metrics.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.metrics.cells.CellState;
import org.malariastream.schemas.DeadLetters;
import org.malariastream.schemas.Topics;
import org.malariastream.schemas.registry.SchemaRegistryException;
import org.malariastream.schemas.registry.WireFormat;

/**
 * Turns the raw bytes of cells.predictions and cells.labels into {@link CellInput}s. The service consumes
 * bytes and decodes here, rather than in a Kafka deserializer, so that a record it cannot read becomes a
 * dead letter with its exact original bytes and the reason, and the stream goes on. A registry that does
 * not answer is not the record's fault: that error is thrown, the stream thread is replaced and the record
 * is read again (exactly once) when the registry is back.
 */
public final class InputDecoder {
    static final String SERVICE = "metrics";
    /** How far ahead of this service's clock a prediction's classifiedAt may be: host clocks drift by seconds. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofHours(1);

    private final Deserializer<CellPrediction> predictions;
    private final Deserializer<CellLabel> labels;

    public InputDecoder(Deserializer<CellPrediction> predictions, Deserializer<CellLabel> labels) {
        this.predictions = predictions;
        this.labels = labels;
    }

    /** Where a record came from, and the wall-clock time it is looked at, for the dead letter. */
    public record Origin(String topic, int partition, long offset, long nowMs) {}

    public CellInput decode(Origin origin, byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            return reject(origin, key, value, DeadLetterStage.DESERIALIZATION, DeadLetterReason.EMPTY_PAYLOAD,
                    "empty record (no value) on " + origin.topic(), null, null);
        }
        try {
            if (Topics.CELL_PREDICTIONS.name().equals(origin.topic())) {
                return validate(origin, key, value, predictions.deserialize(origin.topic(), value));
            }
            if (Topics.CELL_LABELS.name().equals(origin.topic())) {
                return validate(origin, key, value, labels.deserialize(origin.topic(), value));
            }
            return reject(origin, key, value, DeadLetterStage.DESERIALIZATION, DeadLetterReason.OTHER,
                    "the metrics service does not read topic " + origin.topic(), null, null);
        } catch (SchemaRegistryException e) {
            if (e.isRetryable()) {
                throw e;
            }
            return reject(origin, key, value, DeadLetterStage.DESERIALIZATION, DeadLetterReason.UNKNOWN_SCHEMA,
                    e.getMessage(), null, null);
        } catch (WireFormat.NotWireFormatException e) {
            return reject(origin, key, value, DeadLetterStage.DESERIALIZATION, DeadLetterReason.NOT_WIRE_FORMAT,
                    e.getMessage(), null, null);
        } catch (SerializationException | ClassCastException e) {
            if (e.getCause() instanceof SchemaRegistryException r && r.isRetryable()) {
                throw r;
            }
            return reject(origin, key, value, DeadLetterStage.DESERIALIZATION, DeadLetterReason.MALFORMED_RECORD,
                    String.valueOf(e.getMessage()), null, null);
        }
    }

    private CellInput validate(Origin origin, byte[] key, byte[] value, CellPrediction p) {
        String problem = identifierProblem(p.getSlideId(), p.getCellId(), key);
        if (problem == null && (p.getModelName().isBlank() || p.getModelVersion().isBlank())) {
            problem = "modelName and modelVersion must not be blank";
        }
        if (problem != null) {
            return reject(origin, key, value, DeadLetterStage.VALIDATION, DeadLetterReason.INVALID_IDENTIFIER,
                    "prediction " + problem, p.getSlideId(), p.getCellId());
        }
        double probability = p.getProbabilityParasitized();
        if (!(probability >= 0.0 && probability <= 1.0)) {
            return reject(origin, key, value, DeadLetterStage.VALIDATION, DeadLetterReason.MALFORMED_RECORD,
                    "probabilityParasitized " + probability + " is not in [0, 1]", p.getSlideId(), p.getCellId());
        }
        long aheadMs = p.getClassifiedAt().toEpochMilli() - origin.nowMs();
        if (aheadMs > MAX_CLOCK_AHEAD.toMillis()) {
            // Windows are kept for a retention counted back from the newest: one prediction from a clock a day
            // ahead would push every current window out, on every restart too, until the cell is reclassified.
            return reject(origin, key, value, DeadLetterStage.VALIDATION, DeadLetterReason.MALFORMED_RECORD,
                    "classifiedAt " + p.getClassifiedAt() + " is " + Duration.ofMillis(aheadMs).toMinutes()
                            + " min ahead of this service's clock (at most " + MAX_CLOCK_AHEAD.toMinutes()
                            + " min is taken): check the classifier host's clock", p.getSlideId(), p.getCellId());
        }
        boolean parasitized = switch (p.getLabel()) {
            case PARASITIZED -> true;
            case UNINFECTED -> false;
            // A symbol this reader does not know: the operating threshold still says what the model meant.
            default -> probability >= p.getThreshold();
        };
        CellState.Prediction prediction = new CellState.Prediction(p.getScannerId(), p.getPatientRef(),
                p.getModelName(), p.getModelVersion(), parasitized, probability, p.getCapturedAt().toEpochMilli(),
                p.getClassifiedAt().toEpochMilli(), p.getExpectedCellCount());
        return new CellInput.PredictionInput(p.getSlideId(), p.getCellId(), prediction);
    }

    private CellInput validate(Origin origin, byte[] key, byte[] value, CellLabel l) {
        String problem = identifierProblem(l.getSlideId(), l.getCellId(), key);
        if (problem != null) {
            return reject(origin, key, value, DeadLetterStage.VALIDATION, DeadLetterReason.INVALID_IDENTIFIER,
                    "label " + problem, l.getSlideId(), l.getCellId());
        }
        if (l.getLabel() != CellClass.PARASITIZED && l.getLabel() != CellClass.UNINFECTED) {
            return reject(origin, key, value, DeadLetterStage.VALIDATION, DeadLetterReason.MALFORMED_RECORD,
                    "label " + l.getLabel() + " is neither PARASITIZED nor UNINFECTED and cannot be scored",
                    l.getSlideId(), l.getCellId());
        }
        return new CellInput.LabelInput(l.getSlideId(), l.getCellId(), l.getLabel() == CellClass.PARASITIZED);
    }

    private static String identifierProblem(String slideId, String cellId, byte[] key) {
        if (slideId == null || slideId.isBlank() || cellId == null || cellId.isBlank()) {
            return "has a blank slideId or cellId";
        }
        if (slideId.indexOf('\u001f') >= 0 || cellId.indexOf('\u001f') >= 0) {
            return "has a control character in slideId or cellId";
        }
        // A slide's predictions and labels meet only on one partition, the one their key (the slide) hashes to.
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!slideId.equals(keyText)) {
            return "has the Kafka key " + (keyText == null ? "null" : "'" + DeadLetters.shortId(keyText) + "'")
                    + ", not its slideId '" + DeadLetters.shortId(slideId)
                    + "': a slide's records must be keyed by the slide to meet on one partition";
        }
        return null;
    }

    private static CellInput reject(Origin origin, byte[] key, byte[] value, DeadLetterStage stage,
            DeadLetterReason reason, String message, String slideId, String cellId) {
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetters.withOriginalKey(DeadLetters.withOriginalValue(DeadLetter.newBuilder()
                .setService(SERVICE)
                .setStage(stage)
                .setReason(reason)
                .setMessage(message)
                .setSourceTopic(origin.topic())
                .setSourcePartition(origin.partition())
                .setSourceOffset(origin.offset())
                .setSlideId(DeadLetters.shortId(slideId != null ? slideId : keyText))
                .setCellId(cellId)
                .setOccurredAt(Instant.ofEpochMilli(origin.nowMs()))
                .setAttributes(Map.of()), value), key)
                .build();
        return new CellInput.Rejected(letter);
    }
}
