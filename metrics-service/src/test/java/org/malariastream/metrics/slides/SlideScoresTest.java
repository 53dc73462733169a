package org.malariastream.metrics.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.malariastream.common.slides.PriorShift;

class SlideScoresTest {

    @Test
    void theBinnedShareIsWithinATenthOfAPointAndTheCountWithinOneCellOfTheExactOnes() {
        Random random = new Random(7);
        for (double truth : new double[] {0.0, 0.02, 0.3, 0.85}) {
            int n = 400;
            double[] q = new double[n];
            SlideScores scores = new SlideScores();
            for (int i = 0; i < n; i++) {
                boolean parasitized = random.nextDouble() < truth;
                double logit = (parasitized ? 5 : -5) + 2.5 * random.nextGaussian();
                double p = 1 / (1 + Math.exp(-logit));
                q[i] = PriorShift.sharpened(p, 1.25);
                scores.add(p, 1);
            }
            double exact = PriorShift.share(q, null);
            double share = scores.share(1.25);
            assertThat(share).as("share at %s", truth).isCloseTo(exact, within(1e-3));
            double exactCount = 0;
            for (double x : q) {
                exactCount += PriorShift.posterior(x, exact) >= 0.5 ? 1.0 / n : 0;
            }
            assertThat(scores.shareCalledParasitized(share, 1.25)).as("count at %s", truth).isCloseTo(exactCount, within(1.0 / n));
        }
    }

    @Test
    void removingACellUndoesAddingItAndTheFormSurvivesTheRoundTrip() {
        SlideScores scores = new SlideScores();
        scores.add(0.9, 1);
        scores.add(0.2, 1);
        ByteBuffer before = copy(scores);
        assertThat(copy(SlideScores.readFrom(copy(scores)))).isEqualTo(before);
        scores.add(0.6, 1);
        assertThat(copy(scores)).isNotEqualTo(before);
        scores.add(0.6, -1);
        assertThat(copy(scores)).isEqualTo(before);
        assertThat(scores.total()).isEqualTo(2);
        assertThat(new SlideScores().share(1.25)).isNaN();
        assertThat(new SlideScores().shareCalledParasitized(0.5, 1.25)).isNaN();
    }

    @Test
    void theBinOnTheDecisionBoundaryCountsInProportionToItsPartAboveIt() {
        SlideScores scores = new SlideScores();
        scores.add(1 / (1 + Math.exp(-0.1)), 4); // logit 0.1: the bin [0, 0.25)
        // share one half, no sharpening: the boundary is logit 0, the bin's lower edge, so all of it counts
        assertThat(scores.shareCalledParasitized(0.5, 1.0)).isEqualTo(1.0);
        // a share with logit -0.1 moves the boundary to 0.1: 0.15 of the bin's 0.25 lies above it
        double share = 1 / (1 + Math.exp(0.1));
        assertThat(scores.shareCalledParasitized(share, 1.0)).isCloseTo(0.6, within(1e-9));
        assertThat(PriorShift.decisionLogit(share, 2.0)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void extremeAndCertainOutputsLandInTheEndBins() {
        assertThat(SlideScores.bin(0.0)).isZero();
        assertThat(SlideScores.bin(1e-9)).isZero();
        assertThat(SlideScores.bin(1.0)).isEqualTo(SlideScores.BINS - 1);
        assertThat(SlideScores.bin(0.5)).isEqualTo(SlideScores.BINS / 2);
        assertThat(SlideScores.centre(SlideScores.BINS / 2)).isCloseTo(0.5, within(0.04));
    }

    private static ByteBuffer copy(SlideScores scores) {
        ByteBuffer b = ByteBuffer.allocate(scores.maxEncodedSize());
        scores.writeTo(b);
        return b.flip();
    }
}
