package org.malariastream.classifier.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    // positives score 0.9, 0.8, 0.4; negatives 0.8, 0.3, 0.8, 0.2, 0.1
    private static final float[] P = {0.9f, 0.8f, 0.8f, 0.4f, 0.3f, 0.8f, 0.2f, 0.1f};
    private static final boolean[] Y = {true, true, false, true, false, false, false, false};

    @Test
    void aucCountsTiesAsOneHalf() {
        // pairs won: 0.9 -> 5; 0.8 -> 3 + two ties * 0.5 = 4; 0.4 -> 3; total 12 of 3*5
        assertThat(Metrics.auc(P, Y)).isCloseTo(12.0 / 15.0, within(1e-12));
    }

    @Test
    void aucOfPerfectAndReversedAndAllTiedScores() {
        boolean[] y = {false, false, true, true};
        assertThat(Metrics.auc(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, y)).isEqualTo(1.0);
        assertThat(Metrics.auc(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, y)).isEqualTo(0.0);
        assertThat(Metrics.auc(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, y)).isEqualTo(0.5);
        assertThat(Metrics.auc(new float[] {0.5f, 0.6f}, new boolean[] {true, true})).isNaN();
    }

    @Test
    void confusionF1PrecisionSensitivitySpecificityAtThreshold() {
        Metrics m = Metrics.compute(P, Y, null, 0.5);
        assertThat(m.confusion()).isEqualTo(new Confusion(2, 1, 2, 3));
        assertThat(m.count()).isEqualTo(8);
        assertThat(m.accuracy()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(m.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(m.sensitivity()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.specificity()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(m.f1()).isCloseTo(4.0 / 7, within(1e-12)); // 2*0.5*(2/3) / (0.5 + 2/3)
        assertThat(m.slideMaePp()).isNaN();
    }

    @Test
    void slideParasitaemiaErrorAveragesSlidesWithTenOrMoreCells() {
        // slide A: 10 cells, 3 labelled parasitized, 5 predicted -> 20 pp
        // slide B: 20 cells, 10 labelled, 8 predicted -> 10 pp
        // slide C: 5 cells (left out), 5 labelled, 0 predicted
        int n = 35;
        float[] p = new float[n];
        boolean[] y = new boolean[n];
        String[] s = new String[n];
        for (int i = 0; i < 10; i++) {
            s[i] = "A";
            y[i] = i < 3;
            p[i] = i < 5 ? 0.9f : 0.1f;
        }
        for (int i = 10; i < 30; i++) {
            s[i] = "B";
            y[i] = i < 20;
            p[i] = i < 18 ? 0.9f : 0.1f;
        }
        for (int i = 30; i < 35; i++) {
            s[i] = "C";
            y[i] = true;
            p[i] = 0.1f;
        }
        Metrics m = Metrics.compute(p, y, s, 0.5);
        assertThat(m.slides()).isEqualTo(2);
        assertThat(m.slideMaePp()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void bestAccuracyThresholdSeparatesWhenPossibleAndPrefersHalfOnTies() {
        float[] p = {0.1f, 0.2f, 0.3f, 0.35f, 0.7f, 0.9f};
        boolean[] y = {false, false, false, true, true, true};
        double t = Metrics.bestAccuracyThreshold(p, y);
        assertThat(t).isGreaterThan(0.3).isLessThanOrEqualTo(0.35);
        assertThat(Metrics.bestAccuracyThreshold(new float[] {0.1f, 0.9f}, new boolean[] {false, true})).isEqualTo(0.5);
    }

    @Test
    void rocCurveRunsFromOriginToOneOne() {
        double[][] roc = Metrics.rocCurve(P, Y);
        assertThat(roc[0]).containsExactly(0, 0);
        assertThat(roc[roc.length - 1]).containsExactly(1, 1);
    }
}
