package org.malariastream.classifier.model.data;

import java.nio.file.Path;

/**
 * One cell image of a dataset directory with its label and, when the file name follows the NIH
 * naming, its patient and slide ({@link #UNKNOWN} otherwise).
 */
public record CellFile(Path path, CellLabel label, String patient, String slide) {

    public static final String UNKNOWN = "unknown";

    public String fileName() {
        return path.getFileName().toString();
    }

    public boolean hasSlide() {
        return !UNKNOWN.equals(slide);
    }

    /** The slide, or null when the file name carries none (such a cell counts in no slide's share). */
    public String knownSlide() {
        return hasSlide() ? slide : null;
    }
}
