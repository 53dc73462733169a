package org.malariastream.classifier.model.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Confusion matrix with PARASITIZED as the positive class. */
public record Confusion(
        @JsonProperty("tp") long truePositives,
        @JsonProperty("fn") long falseNegatives,
        @JsonProperty("fp") long falsePositives,
        @JsonProperty("tn") long trueNegatives) {

    public long total() {
        return truePositives + falseNegatives + falsePositives + trueNegatives;
    }
}
