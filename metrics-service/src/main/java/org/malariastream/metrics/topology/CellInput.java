package org.malariastream.metrics.topology;

import org.malariastream.avro.DeadLetter;
import org.malariastream.metrics.cells.CellState;

/** A decoded input record: a prediction or a label for one cell, or a dead letter for what did not decode. */
public sealed interface CellInput {
    record PredictionInput(String slideId, String cellId, CellState.Prediction prediction) implements CellInput {}

    record LabelInput(String slideId, String cellId, boolean parasitized) implements CellInput {}

    record Rejected(DeadLetter deadLetter) implements CellInput {}
}
