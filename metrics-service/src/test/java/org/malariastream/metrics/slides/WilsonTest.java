package org.malariastream.metrics.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {
    @Test
    void matchesPublishedValues() {
        // 81 of 263: Wilson 95% interval 0.2553 to 0.3662 (Newcombe 1998, example values recomputed).
        Wilson.Interval i = Wilson.interval95(81, 263);
        assertThat(i.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(i.high()).isCloseTo(0.3662, within(1e-4));
    }

    @Test
    void zeroSuccessesGiveZeroLowerBoundAndAPositiveUpperBound() {
        Wilson.Interval i = Wilson.interval95(0, 1000);
        assertThat(i.low()).isZero();
        // z^2 / (n + z^2) = 3.8415 / 1003.8415
        assertThat(i.high()).isCloseTo(0.003827, within(1e-6));
    }

    @Test
    void allSuccessesGiveOneAsUpperBound() {
        Wilson.Interval i = Wilson.interval95(10, 10);
        assertThat(i.high()).isEqualTo(1.0);
        assertThat(i.low()).isCloseTo(0.7225, within(1e-4));
    }

    @Test
    void noTrialsGiveTheWholeRange() {
        assertThat(Wilson.interval95(0, 0)).isEqualTo(new Wilson.Interval(0, 1));
    }
}
