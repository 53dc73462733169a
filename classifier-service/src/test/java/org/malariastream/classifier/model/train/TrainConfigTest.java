package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.model.ModelSpec;

class TrainConfigTest {

    private static TrainConfig withStageDecay(float decay) {
        return recipe(decay, Augmentation.DEFAULT);
    }

    private static TrainConfig recipe(float stageDecay, Augmentation augmentation) {
        return config(2e-3f, 1e-3f, 0.3f, stageDecay, augmentation, 0f, false);
    }

    private static TrainConfig config(float headLr, float lr, float backboneFactor, float stageDecay,
            Augmentation augmentation, float samRho, boolean samAdaptive) {
        return new TrainConfig(128, 32, 1, 8, headLr, lr, backboneFactor, stageDecay, 0, 0.1f, 8, 0f, augmentation, 0f,
                0f, 0f, 0f, false, samRho, samAdaptive, false, false, 0f, 1.0, 7, 7);
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
    void theAugmentationIsRecordedInSnakeCaseAndEarlierCamelCaseRecordsReadTheSame() throws Exception {
        ObjectNode now = asRead(withStageDecay(1f));
        ObjectNode augmentation = (ObjectNode) now.get("augmentation");
        assertThat(augmentation.get("max_zoom").asDouble()).isEqualTo(Augmentation.DEFAULT.maxZoom());
        assertThat(augmentation.get("max_shift").asDouble()).isEqualTo(Augmentation.DEFAULT.maxShift());
        assertThat(augmentation.has("maxZoom")).isFalse();

        // As runs wrote it before: the same recipe, the two keys in camelCase.
        ObjectNode earlier = now.deepCopy();
        ObjectNode earlierAugmentation = (ObjectNode) earlier.get("augmentation");
        earlierAugmentation.set("maxZoom", earlierAugmentation.remove("max_zoom"));
        earlierAugmentation.set("maxShift", earlierAugmentation.remove("max_shift"));
        earlierAugmentation.remove("max_rotation");
        earlier.remove(List.of("sam_rho", "sam_adaptive", "keep_aspect", "gce_q")); // nor the fields that came later
        assertThat(earlier).isNotEqualTo(now);
        assertThat(TrainConfig.withEarlierDefaults(earlier)).isEqualTo(TrainConfig.withEarlierDefaults(now));

        ObjectNode letterboxed = now.deepCopy().put("keep_aspect", true);
        assertThat(TrainConfig.withEarlierDefaults(letterboxed)).as("letterboxing is another recipe")
                .isNotEqualTo(TrainConfig.withEarlierDefaults(earlier));
        ObjectNode generalised = now.deepCopy().put("gce_q", 0.5);
        assertThat(TrainConfig.withEarlierDefaults(generalised)).as("another loss is another recipe")
                .isNotEqualTo(TrainConfig.withEarlierDefaults(earlier));

        ObjectNode rotated = asRead(recipe(1f, Augmentation.DEFAULT.withRotation(45)));
        assertThat(rotated.path("augmentation").path("max_rotation").asDouble()).isEqualTo(45.0);
        assertThat(TrainConfig.withEarlierDefaults(rotated)).as("rotations are another recipe")
                .isNotEqualTo(TrainConfig.withEarlierDefaults(earlier));

        earlierAugmentation.put("maxZoom", 0.2);
        assertThat(TrainConfig.withEarlierDefaults(earlier)).as("another zoom is another recipe")
                .isNotEqualTo(TrainConfig.withEarlierDefaults(now));
    }

    /** The config as {@code cv-merge} reads it from a report: every number parsed from text, as a double. */
    private static ObjectNode asRead(TrainConfig config) throws Exception {
        return (ObjectNode) ModelSpec.JSON.readTree(ModelSpec.JSON.writeValueAsString(config));
    }

    @Test
    void aDecayOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> withStageDecay(0f)).hasMessageContaining("stage rate decay must be in (0, 1]");
        assertThatThrownBy(() -> withStageDecay(1.1f)).hasMessageContaining("stage rate decay");
    }

    private static TrainConfig withRates(float headLr, float lr, float backboneFactor) {
        return config(headLr, lr, backboneFactor, 1f, Augmentation.DEFAULT, 0f, false);
    }

    @Test
    void aRateThatIsNotPositiveAndFiniteIsRefusedWithItsOptionName() {
        assertThat(withRates(2e-3f, 1e-3f, 0.3f).lr()).isEqualTo(1e-3f);
        assertThatThrownBy(() -> withRates(0f, 1e-3f, 0.3f)).hasMessageStartingWith("head-lr must be a positive");
        assertThatThrownBy(() -> withRates(2e-3f, -1e-3f, 0.3f)).hasMessageStartingWith("lr must be a positive");
        assertThatThrownBy(() -> withRates(2e-3f, Float.NaN, 0.3f)).hasMessageStartingWith("lr must be");
        assertThatThrownBy(() -> withRates(2e-3f, Float.POSITIVE_INFINITY, 0.3f)).hasMessageStartingWith("lr must be");
        assertThatThrownBy(() -> withRates(2e-3f, 1e-3f, 0f)).hasMessageStartingWith("backbone-lr-factor must be");
    }

    @Test
    void aNegativeSamRhoAndAnAdaptiveSamWithoutRhoAreRefused() {
        assertThat(config(2e-3f, 1e-3f, 0.3f, 1f, Augmentation.DEFAULT, 0.5f, true).samAdaptive()).isTrue();
        assertThatThrownBy(() -> config(2e-3f, 1e-3f, 0.3f, 1f, Augmentation.DEFAULT, -0.01f, false))
                .hasMessageStartingWith("sam must be");
        assertThatThrownBy(() -> config(2e-3f, 1e-3f, 0.3f, 1f, Augmentation.DEFAULT, 0f, true))
                .hasMessageStartingWith("sam-adaptive needs --sam");
    }
}
