package org.malariastream.metrics.topology;

import org.malariastream.avro.SlideResult;

/** What the cell processor sends on: slide results (running or final) and quality snapshots per model. */
public sealed interface Emission {
    /** @param isFinal true for results.slides (the slide is complete), false for metrics.slides */
    record SlideUpdate(SlideResult result, boolean isFinal) implements Emission {}

    record Quality(QualitySnapshot snapshot) implements Emission {}
}
