package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Figures of one epoch. Validation figures are NaN when there is no validation set. */
public record EpochStats(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("stage") String stage,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("val_loss") double valLoss,
        @JsonProperty("val_accuracy") double valAccuracy,
        @JsonProperty("val_auc") double valAuc,
        @JsonProperty("lr") double lr,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("train_images_per_s") double trainImagesPerSecond) {

    /** One line for people: {@code epoch 3 fine-tune: train loss 0.2713, val loss 0.1769, ...}. */
    public String describe() {
        return String.format("epoch %d %s: train loss %.4f, val loss %.4f, val accuracy %.4f, val AUC %.4f,"
                        + " lr %.2e, %.0f s (%.0f img/s)",
                epoch, stage, trainLoss, valLoss, valAccuracy, valAuc, lr, seconds, trainImagesPerSecond);
    }
}
