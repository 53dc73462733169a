package org.malariastream.schemas;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.malariastream.avro.CellImage;
import org.malariastream.avro.CellLabel;
import org.malariastream.avro.CellPrediction;
import org.malariastream.avro.DeadLetter;
import org.malariastream.avro.ModelMetrics;
import org.malariastream.avro.SlideResult;

/**
 * The one place that names every topic, with the record type of its values. Services never spell a
 * topic name themselves. Keys are plain strings (UTF-8): the slide id, or model name and version.
 */
public final class Topics {
    private Topics() {}

    /** A topic, the Avro type of its values and what its key holds. */
    public record Topic(String name, Class<? extends SpecificRecord> valueType, String key, String purpose) {}

    public static final Topic CELL_IMAGES = new Topic("cells.images", CellImage.class, "slideId",
            "One event per cell image from the scanners (ingest-service).");
    public static final Topic CELL_LABELS = new Topic("cells.labels", CellLabel.class, "slideId",
            "Microscopists' ground truth per cell, when known.");
    public static final Topic CELL_PREDICTIONS = new Topic("cells.predictions", CellPrediction.class, "slideId",
            "One prediction per cell image (classifier-service, exactly once).");
    public static final Topic METRICS_MODEL = new Topic("metrics.model", ModelMetrics.class, "modelName:modelVersion",
            "Live model quality per model version, cumulative and per window (metrics-service).");
    public static final Topic METRICS_SLIDES = new Topic("metrics.slides", SlideResult.class, "slideId",
            "Running per-slide parasitaemia (metrics-service).");
    public static final Topic RESULTS_SLIDES = new Topic("results.slides", SlideResult.class, "slideId",
            "Final per-slide results once a slide is complete, for EHR integrations.");
    public static final Topic CELL_IMAGES_DLQ = new Topic("cells.images.dlq", DeadLetter.class, "slideId",
            "Cell images the classifier could not process, with reason and original bytes.");
    public static final Topic INGEST_DLQ = new Topic("cells.ingest.dlq", DeadLetter.class, "slideId",
            "Scanner input the ingest service rejected, with reason and original bytes.");
    public static final Topic METRICS_DLQ = new Topic("metrics.dlq", DeadLetter.class, "slideId",
            "Predictions or labels the metrics service could not read, with reason and original bytes.");

    /** The JSON FHIR R4 DiagnosticReport of each completed slide (not Avro: FHIR's own JSON). */
    public static final String RESULTS_SLIDES_FHIR = "results.slides.fhir";

    /** Every Avro topic, in flow order. */
    public static List<Topic> all() {
        return List.of(CELL_IMAGES, CELL_LABELS, CELL_PREDICTIONS, METRICS_MODEL, METRICS_SLIDES, RESULTS_SLIDES,
                CELL_IMAGES_DLQ, INGEST_DLQ, METRICS_DLQ);
    }
}
