package org.malariastream.metrics.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QualityAggregateTest {

    /** Scores as a trained CNN gives them: most cells within 1e-3 of 0 or 1, a tail of confident mistakes. */
    static double[][] cnnLikeScores(int n, long seed, double spread, DoubleUnaryOperator rounding) {
        Random random = new Random(seed);
        int positives = n * 3 / 10;
        double[] pos = new double[positives];
        double[] neg = new double[n - positives];
        for (int i = 0; i < pos.length; i++) {
            double logit = random.nextDouble() < 0.92 ? 7 + spread * random.nextGaussian() : -4 + 2 * random.nextGaussian();
            pos[i] = rounding.applyAsDouble(sigmoid(logit));
        }
        for (int i = 0; i < neg.length; i++) {
            double logit = random.nextDouble() < 0.95 ? -7 + spread * random.nextGaussian() : 3 + 2 * random.nextGaussian();
            neg[i] = rounding.applyAsDouble(sigmoid(logit));
        }
        return new double[][] {pos, neg};
    }

    static double sigmoid(double logit) {
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    static QualityAggregate aggregate(double[] pos, double[] neg, double threshold) {
        QualityAggregate a = new QualityAggregate();
        for (double p : pos) {
            a.add(p >= threshold, p, true, +1);
        }
        for (double p : neg) {
            a.add(p >= threshold, p, false, +1);
        }
        return a;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aucAgreesWithExactMannWhitneyOnScoresPiledNearZeroAndOne(long seed) {
        double[][] s = cnnLikeScores(100_000, seed, 2.5, p -> p);
        double exact = ExactAuc.of(s[0], s[1]);
        assertThat(aggregate(s[0], s[1], 0.5).auc()).isCloseTo(exact, within(1e-4));
        // A piled-up sample really: most scores within 1e-3 of an end.
        long nearEnds = java.util.Arrays.stream(s[0]).filter(p -> p > 0.999 || p < 0.001).count()
                + java.util.Arrays.stream(s[1]).filter(p -> p > 0.999 || p < 0.001).count();
        assertThat(nearEnds).isGreaterThan(40_000);
    }

    @Test
    void aucAgreesWithExactWhenScoresAreFloat32WithManyTiesAtOne() {
        double[][] s = cnnLikeScores(100_000, 7, 6, p -> (float) p);
        double exact = ExactAuc.of(s[0], s[1]);
        assertThat(aggregate(s[0], s[1], 0.5).auc()).isCloseTo(exact, within(1e-4));
    }

    @Test
    void aucAgreesWithExactOnExtremeLogits() {
        double[][] s = cnnLikeScores(100_000, 11, 12, p -> p);
        double exact = ExactAuc.of(s[0], s[1]);
        assertThat(aggregate(s[0], s[1], 0.5).auc()).isCloseTo(exact, within(1e-4));
    }

    @Test
    void mergedPartialsEqualOneAggregateAndSurviveTheirBinaryForm() {
        double[][] s = cnnLikeScores(20_000, 5, 2.5, p -> p);
        QualityAggregate whole = aggregate(s[0], s[1], 0.5);
        QualityAggregate left = aggregate(java.util.Arrays.copyOfRange(s[0], 0, 3000), java.util.Arrays.copyOfRange(s[1], 0, 9000), 0.5);
        QualityAggregate right = aggregate(java.util.Arrays.copyOfRange(s[0], 3000, s[0].length),
                java.util.Arrays.copyOfRange(s[1], 9000, s[1].length), 0.5);
        QualityAggregate merged = QualityAggregate.fromBytes(left.toBytes());
        merged.merge(QualityAggregate.fromBytes(right.toBytes()));
        assertThat(merged).isEqualTo(whole);
        assertThat(merged.auc()).isEqualTo(whole.auc());
    }

    @Test
    void removingAContributionUndoesIt() {
        QualityAggregate a = new QualityAggregate();
        a.add(true, 0.9, true, +1);
        QualityAggregate before = a.copy();
        a.add(false, 0.2, true, +1);
        a.add(false, 0.2, true, -1);
        assertThat(a).isEqualTo(before);
    }

    @Test
    void handComputedConfusionAndRatios() {
        QualityAggregate a = new QualityAggregate();
        a.add(true, 0.95, true, +1);   // TP
        a.add(true, 0.80, true, +1);   // TP
        a.add(false, 0.30, true, +1);  // FN
        a.add(true, 0.60, false, +1);  // FP
        a.add(false, 0.10, false, +1); // TN
        a.add(false, 0.05, false, +1); // TN
        QualityMetrics m = a.metrics();
        assertThat(m.count()).isEqualTo(6);
        assertThat(List.of(m.truePositives(), m.falsePositives(), m.trueNegatives(), m.falseNegatives()))
                .containsExactly(2L, 1L, 2L, 1L);
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(m.precision()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.sensitivity()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.specificity()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.f1()).isCloseTo(2 / 3.0, within(1e-12));
        // Pairs (pos, neg): 0.95 and 0.80 beat all three; 0.30 beats 0.10 and 0.05 only -> 8 of 9.
        assertThat(m.auc()).isCloseTo(8 / 9.0, within(1e-12));
    }

    @Test
    void ratiosAreNullWhileUndefined() {
        QualityAggregate a = new QualityAggregate();
        a.add(false, 0.1, false, +1);
        QualityMetrics m = a.metrics();
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.precision()).isNull();
        assertThat(m.sensitivity()).isNull();
        assertThat(m.auc()).isNull();
    }

    @Test
    void rocCurveRunsFromOriginToOneOneAndRises() {
        double[][] s = cnnLikeScores(10_000, 3, 2.5, p -> p);
        List<RocPoint> roc = aggregate(s[0], s[1], 0.5).roc(100);
        assertThat(roc.get(0)).isEqualTo(new RocPoint(0, 0, 1.0));
        assertThat(roc.get(roc.size() - 1).fpr()).isEqualTo(1.0);
        assertThat(roc.get(roc.size() - 1).tpr()).isEqualTo(1.0);
        assertThat(roc.size()).isBetween(10, 250);
        for (int i = 1; i < roc.size(); i++) {
            assertThat(roc.get(i).fpr()).isGreaterThanOrEqualTo(roc.get(i - 1).fpr());
            assertThat(roc.get(i).tpr()).isGreaterThanOrEqualTo(roc.get(i - 1).tpr());
        }
    }
}
