package org.malariastream.common.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PriorShiftTest {

    @Test
    void posteriorIsBayesRuleWithTheShareInPlaceOfOneHalf() {
        // odds 0.8 / 0.2 = 4 times the share's odds 0.1 / 0.9: 4 / 9, i.e. 4 / 13
        assertThat(PriorShift.posterior(0.8, 0.1)).isCloseTo(4.0 / 13, within(1e-12));
        assertThat(PriorShift.posterior(0.8, 0.5)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void sharpeningScalesTheLogitAndKeepsCertainCellsFinite() {
        assertThat(PriorShift.sharpened(0.75, 2.0)).isCloseTo(0.9, within(1e-12)); // ln 3 doubled is ln 9
        assertThat(PriorShift.sharpened(1.0, 1.25)).isLessThan(1.0);
        assertThat(PriorShift.sharpened(0.0, 1.25)).isGreaterThan(0.0);
    }

    @Test
    void theShareIsTheFixedPointOfMeanPosteriorWithHalfAPseudoCellOfEachClass() {
        double[] q = {0.9, 0.8, 0.3, 0.2, 0.1, 0.6, 0.05};
        double share = PriorShift.share(q, null);
        double sum = 0;
        for (double x : q) {
            sum += PriorShift.posterior(x, share);
        }
        assertThat(share).isCloseTo((sum + 0.5) / (q.length + 1), within(1e-6)).isBetween(0.05, 0.5);
    }

    @Test
    void aSlideOfClearlyUninfectedCellsGoesBelowTheModelsFalsePositiveRateButNotToTheFloor() {
        double[] q = new double[100];
        java.util.Arrays.fill(q, 0.1);
        q[0] = 0.7; // one false positive in a hundred, as counting at 0.5 would report
        double share = PriorShift.share(q, null);
        assertThat(share).isBetween(0.5 / 101, 0.008);
        assertThat(PriorShift.posterior(0.7, share)).isLessThan(0.05); // the false positive is taken back
        // a slide of certain cells stays at half a pseudo-cell in n + 1, not at the floor, in either direction
        java.util.Arrays.fill(q, 1e-7);
        assertThat(PriorShift.share(q, null)).isCloseTo(0.5 / 101, within(1e-6));
        java.util.Arrays.fill(q, 1 - 1e-7);
        assertThat(PriorShift.share(q, null)).isCloseTo(100.5 / 101, within(1e-6));
    }

    @Test
    void weightsCountCellsLikeRepeatedEntries() {
        double[] repeated = {0.9, 0.9, 0.9, 0.2, 0.4, 0.4};
        assertThat(PriorShift.share(new double[] {0.9, 0.2, 0.4}, new long[] {3, 1, 2}))
                .isCloseTo(PriorShift.share(repeated, null), within(1e-9));
        assertThat(PriorShift.share(new double[] {0.9}, new long[] {0})).isNaN();
        assertThat(PriorShift.share(new double[0], null)).isNaN();
    }

    @Test
    void aSharpeningThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> PriorShift.requireValidSharpen(0)).hasMessageContaining("sharpen");
        assertThatThrownBy(() -> PriorShift.requireValidSharpen(Double.NaN)).hasMessageContaining("sharpen");
        assertThatThrownBy(() -> PriorShift.requireValidSharpen(Double.POSITIVE_INFINITY)).hasMessageContaining("sharpen");
        assertThat(PriorShift.requireValidSharpen(1.25)).isEqualTo(1.25);
    }
}
