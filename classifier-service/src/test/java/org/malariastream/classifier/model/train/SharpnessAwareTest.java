package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SAM / ASAM move on real PyTorch-engine parameters, against values worked out by hand. */
class SharpnessAwareTest {

    private static final float RHO = 0.1f;

    private static Parameter parameter(NDManager m, String name, float[] values, boolean trainable) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        p.freeze(!trainable);
        return p;
    }

    /** Backward of {@code sum(a * ca) + sum(b * cb) + sum(frozen)}: the gradients are ca and cb. */
    private static void linearLoss(Parameter a, Parameter b, Parameter frozen, float[] ca, float[] cb) {
        NDManager m = a.getArray().getManager();
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray loss = a.getArray().mul(m.create(ca)).sum()
                    .add(b.getArray().mul(m.create(cb)).sum())
                    .add(frozen.getArray().sum());
            gc.backward(loss);
        }
    }

    @Test
    void theWeightsMoveRhoAlongTheJointGradientAndComeBackKeepingOnlyTheSecondGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Parameter a = parameter(m, "a", new float[] {1f, -2f, 3f}, true);
            Parameter b = parameter(m, "b", new float[] {0.5f, 4f}, true);
            Parameter frozen = parameter(m, "frozen", new float[] {7f}, false);
            linearLoss(a, b, frozen, new float[] {3f, 0f, 0f}, new float[] {0f, 4f}); // joint norm 5
            SharpnessAware sam = new SharpnessAware(RHO, false);

            double norm = sam.ascend(List.of(a, b, frozen));

            assertThat(norm).isCloseTo(5.0, within(1e-6));
            assertThat(a.getArray().toFloatArray()).containsExactly(new float[] {1f + 0.06f, -2f, 3f}, within(1e-6f));
            assertThat(b.getArray().toFloatArray()).containsExactly(new float[] {0.5f, 4f + 0.08f}, within(1e-6f));
            assertThat(frozen.getArray().toFloatArray()).containsExactly(7f);
            assertThat(a.getArray().getGradient().toFloatArray()).as("cleared for the second pass")
                    .containsExactly(0f, 0f, 0f);

            // the second pass: loss sum(a^2) at the moved weights, gradient 2a there
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(a.getArray().square().sum().add(b.getArray().sum()));
            }
            sam.descend();

            assertThat(a.getArray().toFloatArray()).containsExactly(new float[] {1f, -2f, 3f}, within(1e-6f));
            assertThat(b.getArray().toFloatArray()).containsExactly(new float[] {0.5f, 4f}, within(1e-6f));
            assertThat(a.getArray().getGradient().toFloatArray()).as("taken at the moved weights, not added to the first")
                    .containsExactly(new float[] {2.12f, -4f, 6f}, within(1e-5f));
            assertThat(b.getArray().getGradient().toFloatArray()).containsExactly(new float[] {1f, 1f}, within(1e-6f));
        }
    }

    @Test
    void adaptiveMovesEachWeightInProportionToItsSize() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Parameter a = parameter(m, "a", new float[] {1f, -0.01f}, true);
            Parameter b = parameter(m, "b", new float[] {2.99f}, true);
            Parameter frozen = parameter(m, "frozen", new float[] {7f}, false);
            // T = |w| + 0.01 = (1.01, 0.02, 3); g = (1, 50, 1): T g = (1.01, 1, 3), |T g| = sqrt(11.0201)
            linearLoss(a, b, frozen, new float[] {1f, 50f}, new float[] {1f});
            SharpnessAware asam = new SharpnessAware(RHO, true);

            double norm = asam.ascend(List.of(a, b, frozen));

            double n = Math.sqrt(1.01 * 1.01 + 1 + 9);
            assertThat(norm).isCloseTo(n, within(1e-5));
            // move = rho T^2 g / |T g|: the small weight, despite its 50x gradient, moves least
            float[] movedA = a.getArray().toFloatArray();
            assertThat(movedA[0]).isCloseTo((float) (1 + RHO * 1.01 * 1.01 / n), within(1e-6f));
            assertThat(movedA[1]).isCloseTo((float) (-0.01 + RHO * 0.02 * 0.02 * 50 / n), within(1e-6f));
            assertThat(b.getArray().toFloatArray()[0]).isCloseTo((float) (2.99 + RHO * 9 / n), within(1e-6f));
            assertThat(frozen.getArray().toFloatArray()).containsExactly(7f);
            asam.descend();
            assertThat(a.getArray().toFloatArray()).containsExactly(new float[] {1f, -0.01f}, within(1e-6f));
        }
    }

    @Test
    void aSecondAscendBeforeDescendAndANonPositiveRhoAreRefused() {
        assertThatThrownBy(() -> new SharpnessAware(0f, false)).hasMessageContaining("rho must be a positive");
        assertThatThrownBy(() -> new SharpnessAware(Float.NaN, true)).hasMessageContaining("rho must be a positive");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Parameter a = parameter(m, "a", new float[] {1f}, true);
            Parameter b = parameter(m, "b", new float[] {2f}, true);
            Parameter frozen = parameter(m, "frozen", new float[] {3f}, false);
            linearLoss(a, b, frozen, new float[] {1f}, new float[] {1f});
            SharpnessAware sam = new SharpnessAware(RHO, false);
            sam.ascend(List.of(a, b));
            assertThatThrownBy(() -> sam.ascend(List.of(a, b))).isInstanceOf(IllegalStateException.class);
        }
    }
}
