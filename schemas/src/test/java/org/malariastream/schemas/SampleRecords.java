package org.malariastream.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.malariastream.avro.CellClass;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.CompletionReason;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.DeadLetterReason;
import org.malariastream.avro.DeadLetterStage;
import org.malariastream.avro.ImageFormat;
import org.malariastream.avro.IngestChannel;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.avro.SlideResult;
import org.malariastream.avro.SlideStatus;

/** Records built from the real dataset in ../shared, for the schema tests. */
public final class SampleRecords {
    /** A real parasitized cell (142 x 148 PNG) from the NIH set. */
    public static final String CELL_FILE = "C100P61ThinF_IMG_20150918_144104_cell_162.png";

    private SampleRecords() {}

    public static Path sharedDir() {
        return Path.of(System.getProperty("malaria.shared.dir", "../shared"));
    }

    public static CellImage realCellImage() {
        Path png = sharedDir().resolve("data/malaria-cells/cell_images/Parasitized").resolve(CELL_FILE);
        try {
            return CellImage.newBuilder()
                    .setEventId("5f0c2a4e-8d1b-5a55-9d7e-0c1f4d1e2a3b")
                    .setScannerId("scanner-7")
                    .setSlideId("IMG_20150918_144104")
                    .setCellId("cell_162")
                    .setPatientRef("C100")
                    .setCapturedAt(Instant.parse("2015-09-18T14:41:04Z").truncatedTo(ChronoUnit.MILLIS))
                    .setFormat(ImageFormat.PNG)
                    .setImage(ByteBuffer.wrap(Files.readAllBytes(png)))
                    .setWidth(142)
                    .setHeight(148)
                    .setExpectedCellCount(210)
                    .setChannel(IngestChannel.REPLAY)
                    .setAttributes(Map.of("stain", "Giemsa"))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("The dataset is expected at " + sharedDir() + " (set malaria.shared.dir)", e);
        }
    }

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00.123Z");

    /** One filled-in record of every schema, optional fields set, so every field is exercised. */
    public static List<SpecificRecord> oneOfEach() {
        CellImage image = realCellImage();
        return List.of(
                image,
                CellLabel.newBuilder().setSlideId(image.getSlideId()).setCellId(image.getCellId())
                        .setLabel(CellClass.PARASITIZED).setSource("dataset:nih-malaria").setLabelledAt(T0)
                        .setComment("ring form").build(),
                CellPrediction.newBuilder().setEventId(image.getEventId()).setScannerId(image.getScannerId())
                        .setSlideId(image.getSlideId()).setCellId(image.getCellId()).setPatientRef("C100")
                        .setLabel(CellClass.PARASITIZED).setProbabilityParasitized(0.997).setThreshold(0.5)
                        .setModelName("malaria-mnv2").setModelVersion("1.0.0").setCapturedAt(image.getCapturedAt())
                        .setClassifiedAt(T0).setExpectedCellCount(210).build(),
                ModelMetrics.newBuilder().setModelName("malaria-mnv2").setModelVersion("1.0.0")
                        .setWindowStart(T0).setWindowEnd(T0.plusSeconds(300)).setCount(100).setTruePositives(48)
                        .setFalsePositives(1).setTrueNegatives(49).setFalseNegatives(2).setAccuracy(0.97)
                        .setPrecision(0.98).setSensitivity(0.96).setSpecificity(0.98).setF1(0.97).setAuc(0.995)
                        .setUpdatedAt(T0).build(),
                SlideResult.newBuilder().setSlideId(image.getSlideId()).setScannerId("scanner-7").setPatientRef("C100")
                        .setModelName("malaria-mnv2").setModelVersion("1.0.0").setStatus(SlideStatus.COMPLETE)
                        .setCompletionReason(CompletionReason.EXPECTED_COUNT_REACHED).setExpectedCellCount(210)
                        .setCellsClassified(210).setCellsPredictedParasitized(21).setParasitaemiaPct(10.0)
                        .setParasitaemiaCiLowPct(6.6).setParasitaemiaCiHighPct(14.8).setLabelledCells(200)
                        .setLabelledParasitized(20).setLabelledParasitaemiaPct(10.0).setParasitaemiaErrorPp(0.0)
                        .setFirstCapturedAt(image.getCapturedAt()).setUpdatedAt(T0).build(),
                DeadLetter.newBuilder().setService("classifier").setStage(DeadLetterStage.DECODING)
                        .setReason(DeadLetterReason.TRUNCATED_IMAGE).setMessage("PNG ends inside IDAT")
                        .setSourceTopic("cells.images").setSourcePartition(2).setSourceOffset(4711L)
                        .setOriginalKey(ByteBuffer.wrap(new byte[] {1, 2})).setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1}))
                        .setEventId(image.getEventId()).setSlideId(image.getSlideId()).setCellId(image.getCellId())
                        .setOccurredAt(T0).setAttributes(Map.of("consumerGroup", "classifier")).build());
    }
}
