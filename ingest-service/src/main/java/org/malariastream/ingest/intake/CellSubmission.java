package org.malariastream.ingest.intake;

import java.time.Instant;
import java.util.Map;
import org.malariastream.avro.IngestChannel;

/**
 * One cell image as a door received it, before any check.
 *
 * @param patientRef pseudonymous patient reference, or null
 * @param expectedCellCount cells the scanner will send for the slide, or null when unknown
 * @param capturedAt when the scanner captured it, or null for now
 */
public record CellSubmission(IngestChannel channel, String scannerId, String slideId, String cellId,
        String patientRef, Integer expectedCellCount, Instant capturedAt, byte[] image, Map<String, String> attributes) {

    public CellSubmission {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
