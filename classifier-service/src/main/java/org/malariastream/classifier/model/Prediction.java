package org.malariastream.classifier.model;

import org.malariastream.classifier.model.data.CellLabel;

/**
 * The classifier's answer for one image: {@code P(parasitized)} and the label at the model's
 * operating threshold, or, for bytes that could not be decoded, an error and no label.
 */
public record Prediction(float probabilityParasitized, CellLabel label, String error) {

    public static Prediction of(float probability, double threshold) {
        return new Prediction(probability,
                probability >= threshold ? CellLabel.PARASITIZED : CellLabel.UNINFECTED, null);
    }

    public static Prediction failed(String error) {
        return new Prediction(Float.NaN, null, error);
    }

    public boolean ok() {
        return error == null;
    }
}
