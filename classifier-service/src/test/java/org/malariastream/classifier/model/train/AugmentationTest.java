package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.model.preprocess.ViewTransform;

class AugmentationTest {

    /** The angle, in degrees, by which a pure rotation (no flip, zoom or shift) turns the view. */
    private static double angleOf(ViewTransform t) {
        return Math.toDegrees(Math.atan2(t.a10(), t.a00()));
    }

    @Test
    void rotationsAreDrawnFromTheWholeRangeAndNoFurther() {
        Augmentation rotateOnly = new Augmentation(false, 0, 0, 0, 30);
        Random random = new Random(5);
        double min = 0;
        double max = 0;
        for (int i = 0; i < 2_000; i++) {
            ViewTransform t = rotateOnly.sample(random);
            double det = t.a00() * t.a11() - t.a01() * t.a10();
            assertThat(det).as("a rotation keeps areas").isCloseTo(1.0, within(1e-9));
            double angle = angleOf(t);
            min = Math.min(min, angle);
            max = Math.max(max, angle);
        }
        assertThat(min).isBetween(-30.0, -29.0);
        assertThat(max).isBetween(29.0, 30.0);
    }

    @Test
    void withoutRotationEveryViewStaysOnTheQuarterTurns() {
        Random random = new Random(6);
        for (int i = 0; i < 200; i++) {
            ViewTransform t = Augmentation.DEFAULT.sample(random);
            assertThat(Math.abs(t.a00() * t.a01())).as("axis-aligned").isEqualTo(0.0);
        }
    }

    @Test
    void aRotationOutsideZeroToAHalfTurnIsRefused() {
        assertThatThrownBy(() -> Augmentation.DEFAULT.withRotation(-1)).hasMessageContaining("rotation must be in [0, 180]");
        assertThatThrownBy(() -> Augmentation.DEFAULT.withRotation(181)).hasMessageContaining("rotation");
    }
}
