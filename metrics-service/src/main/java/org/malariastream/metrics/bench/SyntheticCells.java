package org.malariastream.metrics.bench;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;

/**
 * Deterministic synthetic predictions and labels: slides of a fixed number of cells, about 8% parasitized,
 * scores as a trained CNN gives them (piled within 1e-3 of 0 and 1, with a tail of confident mistakes).
 */
public final class SyntheticCells {
    public static final String MODEL_NAME = "mobilenetv2-malaria";

    private final Random random;
    private final int cellsPerSlide;
    private final String modelVersion;
    private final Instant start;

    public SyntheticCells(long seed, int cellsPerSlide, String modelVersion, Instant start) {
        this.random = new Random(seed);
        this.cellsPerSlide = cellsPerSlide;
        this.modelVersion = modelVersion;
        this.start = start;
    }

    /** One cell: its prediction and the microscopist's label. */
    public record Cell(CellPrediction prediction, CellLabel label) {}

    public static String slideId(int slide) {
        return String.format("slide-%06d", slide);
    }

    /** The {@code index}-th cell overall (slide = index / cellsPerSlide); the i-th call gives the same cell. */
    public Cell cell(long index) {
        int slide = (int) (index / cellsPerSlide);
        String slideId = slideId(slide);
        String cellId = String.format("cell-%05d", index % cellsPerSlide);
        boolean parasitized = random.nextDouble() < 0.08;
        double logit = (parasitized ? 1 : -1) * (random.nextDouble() < 0.95 ? 7.5 : -2.5) + 2.0 * random.nextGaussian();
        double p = 1.0 / (1.0 + Math.exp(-logit));
        Instant classified = start.plusMillis(index * 5);
        CellPrediction prediction = CellPrediction.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes((slideId + "/" + cellId).getBytes()).toString())
                .setScannerId("scanner-" + (slide % 3))
                .setSlideId(slideId)
                .setCellId(cellId)
                .setPatientRef("patient-" + (slide % 97))
                .setLabel(p >= 0.5 ? CellClass.PARASITIZED : CellClass.UNINFECTED)
                .setProbabilityParasitized(p)
                .setThreshold(0.5)
                .setModelName(MODEL_NAME)
                .setModelVersion(modelVersion)
                .setCapturedAt(classified.minusMillis(300))
                .setClassifiedAt(classified)
                .setExpectedCellCount(cellsPerSlide)
                .build();
        CellLabel label = CellLabel.newBuilder()
                .setSlideId(slideId)
                .setCellId(cellId)
                .setLabel(parasitized ? CellClass.PARASITIZED : CellClass.UNINFECTED)
                .setSource("dataset:synthetic")
                .setLabelledAt(classified.plusSeconds(30))
                .build();
        return new Cell(prediction, label);
    }
}
