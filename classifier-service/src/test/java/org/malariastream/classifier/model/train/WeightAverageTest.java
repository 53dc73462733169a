package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The moving average against values computed by hand, on real PyTorch-engine arrays. */
class WeightAverageTest {

    @Test
    void decayRampsUpFromATenthToItsCap() {
        assertThat(WeightAverage.decayAt(0.999f, 0)).isCloseTo(0.1, within(1e-12));
        assertThat(WeightAverage.decayAt(0.999f, 10)).isCloseTo(11.0 / 20, within(1e-12));
        assertThat(WeightAverage.decayAt(0.9f, 1000)).isCloseTo(0.9, within(1e-6));
    }

    @Test
    void averageFollowsTheWeightsWithTheRampedDecayAndLeavesThemAlone() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray w = m.create(new float[] {1f, -2f});
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(w).build();
            try (WeightAverage avg = new WeightAverage(List.of(p), 0.5f)) {
                // step 0: decay 0.1 -> avg = 0.1 * 1 + 0.9 * 3 = 2.8 ; 0.1 * -2 + 0.9 * 0 = -0.2
                w.set(FloatBuffer.wrap(new float[] {3f, 0f}));
                avg.update();
                assertThat(avg.snapshot().get(p.getId())).containsExactly(new float[] {2.8f, -0.2f}, within(1e-6f));
                // step 1: decay min(0.5, 2/11) = 2/11 -> avg = 2/11 * avg + 9/11 * w
                w.set(FloatBuffer.wrap(new float[] {5f, 1f}));
                avg.update();
                float d = 2f / 11;
                assertThat(avg.snapshot().get(p.getId()))
                        .containsExactly(new float[] {d * 2.8f + (1 - d) * 5f, d * -0.2f + (1 - d) * 1f}, within(1e-5f));
                assertThat(w.toFloatArray()).containsExactly(5f, 1f);
            }
        }
    }

    @Test
    void decayOutsideTheOpenUnitIntervalIsRefused() {
        assertThatThrownBy(() -> new WeightAverage(List.of(), 1f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WeightAverage(List.of(), 0f)).isInstanceOf(IllegalArgumentException.class);
    }
}
