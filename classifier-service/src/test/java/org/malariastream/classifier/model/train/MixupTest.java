package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MixupTest {

    @Test
    void blendsEachImageWithOnePartnerAndTheLabelsAlike() {
        int n = 6, floats = 5;
        float[] x = new float[n * floats];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < floats; k++) {
                x[i * floats + k] = i * 10 + k;
            }
            boolean positive = i % 2 == 0;
            y[2 * i] = positive ? 0 : 1;
            y[2 * i + 1] = positive ? 1 : 0;
        }
        double l = new Mixup(0.4).apply(x, y, n, floats, new Random(3));

        assertThat(l).isBetween(0.5, 1.0);
        Set<Integer> partners = new HashSet<>();
        for (int i = 0; i < n; i++) {
            // pixel 0 of a blend of images i and j is l*10i + (1-l)*10j: solve for j
            double j = (x[i * floats] - l * i * 10) / ((1 - l) * 10);
            long partner = Math.round(j);
            assertThat(j).isCloseTo(partner, within(1e-3));
            partners.add((int) partner);
            for (int k = 0; k < floats; k++) {
                assertThat(x[i * floats + k]).isCloseTo((float) (l * (i * 10 + k) + (1 - l) * (partner * 10 + k)),
                        within(1e-3f));
            }
            double ownPositive = i % 2 == 0 ? 1 : 0, partnerPositive = partner % 2 == 0 ? 1 : 0;
            assertThat(y[2 * i + 1]).isCloseTo((float) (l * ownPositive + (1 - l) * partnerPositive), within(1e-5f));
            assertThat(y[2 * i] + y[2 * i + 1]).isCloseTo(1f, within(1e-5f));
        }
        assertThat(partners).as("every image is some image's partner once").hasSize(n);
    }

    @Test
    void weightsFollowBetaAlphaAlpha() {
        // E[l (1 - l)] = alpha / (2 (2 alpha + 1)) for l ~ Beta(alpha, alpha); folding l to >= 0.5 keeps it
        for (double alpha : new double[] {0.2, 1.0, 3.0}) {
            Mixup mixup = new Mixup(alpha);
            Random random = new Random(11);
            double sum = 0;
            int draws = 40_000;
            for (int d = 0; d < draws; d++) {
                double l = mixup.apply(new float[1], new float[2], 1, 1, random);
                sum += l * (1 - l);
            }
            assertThat(sum / draws).as("alpha %s", alpha).isCloseTo(alpha / (2 * (2 * alpha + 1)), within(0.003));
        }
    }

    @Test
    void refusesANonPositiveAlpha() {
        assertThatThrownBy(() -> new Mixup(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
