package org.malariastream.ingest.intake;

import java.time.Instant;
import org.malariastream.avro.CellClass;

/** A microscopist's (or a dataset's) verdict on one cell. */
public record LabelSubmission(String slideId, String cellId, CellClass label, String source, Instant labelledAt, String comment) {}
