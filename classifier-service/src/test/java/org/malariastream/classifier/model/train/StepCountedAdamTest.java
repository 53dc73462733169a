package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizer against DJL's own Adam / AdamW, on real PyTorch-engine arrays. */
class StepCountedAdamTest {

    private static final float RATE = 0.01f;
    private static final float[][] GRADS = {{0.5f, -1f, 2f}, {-0.25f, 3f, 0.125f}, {1f, 1f, -4f}, {0.75f, -2f, 0.5f}};

    /**
     * Runs {@code steps} steps over parameters "a" (from the first step) and "b" (from step {@code bJoins}),
     * visiting them in {@code order} each step; returns both weights.
     */
    private static float[][] run(Optimizer optimizer, Runnable beginStep, int steps, int bJoins, List<String> order) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = m.create(new float[] {1f, 2f, 3f});
            NDArray b = m.create(new float[] {-1f, 0.5f, 4f});
            for (int step = 1; step <= steps; step++) {
                beginStep.run();
                for (String id : order) {
                    if (id.equals("b") && step < bJoins) {
                        continue;
                    }
                    NDArray grad = m.create(GRADS[(step + (id.equals("b") ? 1 : 0)) % GRADS.length]);
                    optimizer.update(id, id.equals("a") ? a : b, grad);
                }
            }
            return new float[][] {a.toFloatArray(), b.toFloatArray()};
        }
    }

    @Test
    void whenEveryParameterTrainsFromTheStartItIsDjlsAdamAndAdamWBitForBit() {
        StepCountedAdam adam = new StepCountedAdam(Tracker.fixed(RATE), 0f, false);
        float[][] ours = run(adam, adam::nextStep, 4, 1, List.of("a", "b"));
        float[][] djl = run(djlAdam(), () -> { }, 4, 1, List.of("a", "b"));
        assertThat(ours).isDeepEqualTo(djl);
        assertThat(ours[0]).as("the weights moved").isNotEqualTo(new float[] {1f, 2f, 3f});

        StepCountedAdam adamW = new StepCountedAdam(Tracker.fixed(RATE), 0.5f, false);
        float[][] oursW = run(adamW, adamW::nextStep, 4, 1, List.of("a", "b"));
        float[][] djlW = run(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(RATE)).optWeightDecays(0.5f).build(),
                () -> { }, 4, 1, List.of("a", "b"));
        assertThat(oursW).isDeepEqualTo(djlW);
        assertThat(oursW[0]).as("the decay acts").isNotEqualTo(ours[0]);
    }

    @Test
    void aParameterThatStartsLateGetsTheSameUpdatesWhicheverOrderTheParametersAreVisitedIn() {
        StepCountedAdam first = new StepCountedAdam(Tracker.fixed(RATE), 0f, false);
        StepCountedAdam second = new StepCountedAdam(Tracker.fixed(RATE), 0f, false);
        float[][] aFirst = run(first, first::nextStep, 4, 3, List.of("a", "b"));
        float[][] bFirst = run(second, second::nextStep, 4, 3, List.of("b", "a"));
        assertThat(bFirst).isDeepEqualTo(aFirst);

        // DJL's Adam: "b"'s first update is bias-corrected for step 3 or step 2, by the order of the visit
        float[][] djlAFirst = run(djlAdam(), () -> { }, 4, 3, List.of("a", "b"));
        float[][] djlBFirst = run(djlAdam(), () -> { }, 4, 3, List.of("b", "a"));
        assertThat(djlBFirst[1]).as("why this class exists").isNotEqualTo(djlAFirst[1]);
    }

    @Test
    void withOwnStepsALateParameterStartsAsAFreshAdamWouldAndTheOthersAreUnchanged() {
        // "b" joins at step 5: its gradients are then GRADS[2], GRADS[3], as in a run where it trains from step 1
        StepCountedAdam own = new StepCountedAdam(Tracker.fixed(RATE), 0f, true);
        float[][] joined = run(own, own::nextStep, 6, 5, List.of("a", "b"));
        float[][] fresh = run(djlAdam(), () -> { }, 2, 1, List.of("a", "b"));
        assertThat(joined[1]).isEqualTo(fresh[1]);

        StepCountedAdam shared = new StepCountedAdam(Tracker.fixed(RATE), 0f, false);
        float[][] sharedCount = run(shared, shared::nextStep, 6, 5, List.of("a", "b"));
        assertThat(joined[0]).as("a parameter there from the start").isEqualTo(sharedCount[0]);
        assertThat(sharedCount[1]).as("the shared count corrects b's first steps otherwise").isNotEqualTo(joined[1]);

        StepCountedAdam reversed = new StepCountedAdam(Tracker.fixed(RATE), 0f, true);
        assertThat(run(reversed, reversed::nextStep, 6, 5, List.of("b", "a"))).isDeepEqualTo(joined);
    }

    private static Optimizer djlAdam() {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(RATE)).build();
    }

    @Test
    void anUpdateBeforeTheFirstStepOrANegativeDecayIsRefused() {
        StepCountedAdam adam = new StepCountedAdam(Tracker.fixed(RATE), 0f, false);
        assertThatThrownBy(() -> run(adam, () -> { }, 1, 1, List.of("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nextStep()");
        assertThatThrownBy(() -> new StepCountedAdam(Tracker.fixed(RATE), -0.1f, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepCountedAdam(Tracker.fixed(RATE), Float.POSITIVE_INFINITY, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNaNOrInfiniteLearningRateIsRefusedAsDjlsAdamRefusesIt() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            StepCountedAdam adam = new StepCountedAdam(Tracker.fixed(bad), 0f, false);
            assertThatThrownBy(() -> run(adam, adam::nextStep, 1, 1, List.of("a")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN or infinite");
            Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(bad)).build();
            assertThatThrownBy(() -> run(djl, () -> { }, 1, 1, List.of("a"))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
