package org.malariastream.metrics.quality;

/** One point of a ROC curve: false and true positive rate when cells at or above {@code threshold} count positive. */
public record RocPoint(double fpr, double tpr, double threshold) {}
