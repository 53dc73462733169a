package org.malariastream.ingest.hotfolder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The optional {@code slide.json} a scanner drops beside a slide's cells:
 * {@code {"scannerId": "...", "patientRef": "...", "expectedCellCount": 210}}, every field optional.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlideManifest(String scannerId, String patientRef, Integer expectedCellCount) {
    public static final String FILE_NAME = "slide.json";
    static final SlideManifest NONE = new SlideManifest(null, null, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IOException when the file is not valid JSON of this shape */
    static SlideManifest read(Path file) throws IOException {
        SlideManifest m = JSON.readValue(file.toFile(), SlideManifest.class);
        if (m.expectedCellCount() != null && m.expectedCellCount() <= 0) {
            throw new IOException("expectedCellCount must be positive, was " + m.expectedCellCount());
        }
        return m;
    }
}
