package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static TrainConfig withStageDecay(float decay) {
        return new TrainConfig(128, 32, 1, 8, 2e-3f, 1e-3f, 0.3f, decay, 0, 0.1f, 8, 0f, Augmentation.DEFAULT, 0f, 0f,
                0f, 0f, false, 1.0, 7, 7);
    }

    @Test
    void aStageRateDecayScalesEachStageBelowTheLastByItsPowerOfTheFactor() {
        TrainConfig c = withStageDecay(0.9f);
        assertThat(c.backboneRateFactor(18)).isCloseTo(0.3f, within(1e-6f));
        assertThat(c.backboneRateFactor(17)).isCloseTo(0.27f, within(1e-6f));
        assertThat(c.backboneRateFactor(0)).isCloseTo((float) (0.3 * Math.pow(0.9, 18)), within(1e-6f));
        assertThat(c.backboneRateFactor(-1)).as("outside the stages").isEqualTo(0.3f);
    }

    @Test
    void withoutADecayEveryStageLearnsAtTheBackboneFactor() {
        TrainConfig c = withStageDecay(1f);
        assertThat(c.backboneRateFactor(0)).isEqualTo(0.3f);
        assertThat(c.backboneRateFactor(18)).isEqualTo(0.3f);
    }

    @Test
    void aDecayOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> withStageDecay(0f)).hasMessageContaining("stage rate decay must be in (0, 1]");
        assertThatThrownBy(() -> withStageDecay(1.1f)).hasMessageContaining("stage rate decay");
    }
}
