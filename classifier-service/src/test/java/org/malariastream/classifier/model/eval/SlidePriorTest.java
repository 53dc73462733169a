package org.malariastream.classifier.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SlidePriorTest {

    private static float[] repeat(float value, int times, float last) {
        float[] p = new float[times + 1];
        java.util.Arrays.fill(p, value);
        p[times] = last;
        return p;
    }

    private static String[] slide(String id, int cells) {
        String[] s = new String[cells];
        java.util.Arrays.fill(s, id);
        return s;
    }

    @Test
    void aSlideWithHalfItsCellsParasitizedKeepsTheModelsProbabilities() {
        SlidePrior.Result r = SlidePrior.adjust(new float[] {0.8f, 0.2f}, slide("s", 2), 1.0);
        assertThat(r.probabilities()[0]).isCloseTo(0.8f, within(1e-6f));
        assertThat(r.probabilities()[1]).isCloseTo(0.2f, within(1e-6f));
        assertThat(r.slideShare().get("s")).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void sharpeningScalesTheLogit() {
        // logit(0.75) = ln 3; twice that is ln 9, i.e. 0.9; the pair stays symmetric, so the share stays one half
        float[] p = SlidePrior.adjust(new float[] {0.75f, 0.25f}, slide("s", 2), 2.0).probabilities();
        assertThat(p[0]).isCloseTo(0.9f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.1f, within(1e-6f));
    }

    @Test
    void aBorderlineCellFollowsItsSlide() {
        float[] amongUninfected = SlidePrior.adjust(repeat(0.05f, 10, 0.6f), slide("s", 11), 1.0).probabilities();
        float[] amongParasitized = SlidePrior.adjust(repeat(0.95f, 10, 0.6f), slide("s", 11), 1.0).probabilities();
        assertThat(amongUninfected[10]).isLessThan(0.5f);
        assertThat(amongParasitized[10]).isGreaterThan(0.6f);
    }

    @Test
    void theShareIsTheMeanPosteriorWithHalfAPseudoCellOfEachClassAndEachPosteriorIsBayesWithThatShare() {
        float[] p = {0.9f, 0.8f, 0.3f, 0.2f, 0.1f, 0.6f, 0.05f};
        double sharpen = 1.25;
        SlidePrior.Result r = SlidePrior.adjust(p, slide("s", p.length), sharpen);
        double share = r.slideShare().get("s");
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = 1 / (1 + Math.exp(-sharpen * Math.log(p[i] / (1 - p[i]))));
            double expected = q * share / (q * share + (1 - q) * (1 - share)); // the model's prior is one half
            assertThat((double) r.probabilities()[i]).isCloseTo(expected, within(1e-6));
            sum += r.probabilities()[i];
        }
        assertThat(share).isCloseTo((sum + 0.5) / (p.length + 1), within(1e-5)).isBetween(0.05, 0.5);
    }

    @Test
    void slidesAreAdjustedApartAndCellsWithoutASlideAreLeftAlone() {
        float[] alone = SlidePrior.adjust(new float[] {0.3f, 0.4f, 0.9f}, slide("a", 3), 1.25).probabilities();
        float[] p = {0.3f, 0.99f, 0.4f, 0.97f, 0.9f, 0.45f};
        String[] slides = {"a", "b", "a", null, "a", "b"};
        float[] mixed = SlidePrior.adjust(p, slides, 1.25).probabilities();
        assertThat(new float[] {mixed[0], mixed[2], mixed[4]}).containsExactly(alone);
        assertThat(mixed[3]).isEqualTo(0.97f);
        assertThat(mixed[5]).isGreaterThan(0.45f);
    }

    @Test
    void metricsScoreTheAdjustedProbabilitiesAtOneHalf() {
        float[] p = repeat(0.05f, 10, 0.6f);
        boolean[] y = new boolean[11];
        Metrics m = SlidePrior.metrics(p, y, slide("s", 11), 1.0);
        assertThat(Metrics.compute(p, y, slide("s", 11), 0.5).accuracy()).isCloseTo(10 / 11.0, within(1e-12));
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.threshold()).isEqualTo(0.5);
    }

    @Test
    void theShareErrorComparesEachEstimatedShareWithItsSlidesLabelledShareOnSlidesOfTenCellsOrMore() {
        float[] p = new float[13];
        boolean[] y = new boolean[13];
        String[] slides = new String[13];
        for (int i = 0; i < 10; i++) {
            p[i] = i < 3 ? 0.9f : 0.2f; // slide a: 3 of 10 look parasitized, 2 are
            y[i] = i < 2;
            slides[i] = "a";
        }
        for (int i = 10; i < 13; i++) {
            p[i] = 0.9f; // slide b: too few cells to count, and all wrong
            slides[i] = "b";
        }
        SlidePrior.Result r = SlidePrior.adjust(p, slides, 1.0);
        double shareA = r.slideShare().get("a");
        assertThat(shareA).isBetween(0.2, 0.4); // 3 of 10 look it, pulled a little towards one half by the pseudo-cells
        assertThat(SlidePrior.shareMaePp(r, y, slides)).isCloseTo(100 * Math.abs(shareA - 0.2), within(1e-9));
        float[] onlyB = {0.9f, 0.9f, 0.9f};
        assertThat(SlidePrior.shareMaePp(SlidePrior.adjust(onlyB, slide("b", 3), 1.0), new boolean[3], slide("b", 3))).isNaN();
    }

    @Test
    void theBoundAdjustsEachCellToItsSlidesLabelledShareCountedWithHalfAPseudoCellOfEachClass() {
        float[] p = {0.6f, 0.3f, 0.7f, 0.6f, 0.4f};
        boolean[] y = {false, false, false, true, true};
        String[] slides = {"a", "a", "a", "b", null};
        SlidePrior.Result r = SlidePrior.adjustToLabelledShares(p, y, slides, 1.0);
        assertThat(r.slideShare().get("a")).isCloseTo(0.5 / 4, within(1e-12));
        assertThat(r.slideShare().get("b")).isCloseTo(1.5 / 2, within(1e-12));
        // Bayes against one half: a's odds 0.6 / 0.4 * (1/8) / (7/8) = 3/14, b's 0.6 / 0.4 * 3 = 9/2
        assertThat(r.probabilities()[0]).isCloseTo(3f / 17, within(1e-6f));
        assertThat(r.probabilities()[3]).isCloseTo(9f / 11, within(1e-6f));
        assertThat(r.probabilities()[4]).isEqualTo(0.4f);
        assertThatThrownBy(() -> SlidePrior.adjustToLabelledShares(p, new boolean[4], slides, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSharpeningThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> SlidePrior.adjust(new float[] {0.5f}, new String[] {"s"}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sharpen");
        assertThatThrownBy(() -> SlidePrior.adjust(new float[] {0.5f}, new String[] {"s", "t"}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
