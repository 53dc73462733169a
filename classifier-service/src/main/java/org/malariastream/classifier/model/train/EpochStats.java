package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Figures of one epoch. Validation figures are NaN when there is no validation set; the
 * {@code averaged_*} ones are those of the moving average of the weights, NaN when none is kept.
 */
public record EpochStats(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("stage") String stage,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("val_loss") double valLoss,
        @JsonProperty("val_accuracy") double valAccuracy,
        @JsonProperty("val_auc") double valAuc,
        @JsonProperty("averaged_val_loss") double averagedValLoss,
        @JsonProperty("averaged_val_accuracy") double averagedValAccuracy,
        @JsonProperty("averaged_val_auc") double averagedValAuc,
        @JsonProperty("lr") double lr,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("train_images_per_s") double trainImagesPerSecond) {

    /** One line for people: {@code epoch 3 fine-tune: train loss 0.2713, val loss 0.1769, ...}. */
    public String describe() {
        String averaged = Double.isNaN(averagedValLoss) ? ""
                : String.format(" (averaged weights: val loss %.4f, val accuracy %.4f, val AUC %.4f)",
                        averagedValLoss, averagedValAccuracy, averagedValAuc);
        String validation = Double.isNaN(valLoss) ? "" // no validation patients
                : String.format(", val loss %.4f, val accuracy %.4f, val AUC %.4f", valLoss, valAccuracy, valAuc);
        return String.format("epoch %d %s: train loss %.4f%s%s, lr %.2e, %.0f s (%.0f img/s)",
                epoch, stage, trainLoss, validation, averaged, lr, seconds, trainImagesPerSecond);
    }
}
