package org.malariastream.metrics.testing;

import java.time.Instant;
import java.util.UUID;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;

/** Predictions and labels as the classifier and the microscopists' tools write them. */
public final class CellRecords {
    public static final String MODEL = "mobilenetv2-malaria";
    public static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    private CellRecords() {}

    public static CellPrediction prediction(String slideId, String cellId, double probability, String version,
            Instant classifiedAt, Integer expectedCellCount) {
        return CellPrediction.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((slideId + "/" + cellId).getBytes()).toString())
                .setScannerId("scanner-1")
                .setSlideId(slideId)
                .setCellId(cellId)
                .setPatientRef("p-" + slideId)
                .setLabel(probability >= 0.5 ? CellClass.PARASITIZED : CellClass.UNINFECTED)
                .setProbabilityParasitized(probability)
                .setThreshold(0.5)
                .setModelName(MODEL)
                .setModelVersion(version)
                .setCapturedAt(classifiedAt.minusMillis(200))
                .setClassifiedAt(classifiedAt)
                .setExpectedCellCount(expectedCellCount)
                .build();
    }

    public static CellPrediction prediction(String slideId, String cellId, double probability) {
        return prediction(slideId, cellId, probability, "1.0.0", T0, null);
    }

    public static CellLabel label(String slideId, String cellId, boolean parasitized) {
        return CellLabel.newBuilder()
                .setSlideId(slideId)
                .setCellId(cellId)
                .setLabel(parasitized ? CellClass.PARASITIZED : CellClass.UNINFECTED)
                .setSource("microscopist:test")
                .setLabelledAt(T0.plusSeconds(60))
                .build();
    }
}
