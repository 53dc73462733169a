package org.malariastream.metrics.quality;

/**
 * The published figures of one model version (PARASITIZED positive). A ratio is null while undefined, e.g.
 * precision before the model has called any cell parasitized, as the ModelMetrics schema says.
 */
public record QualityMetrics(long count, long truePositives, long falsePositives, long trueNegatives,
        long falseNegatives, Double accuracy, Double precision, Double sensitivity, Double specificity, Double f1,
        Double auc) {}
