package org.malariastream.classifier.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam, or AdamW with a weight decay, whose bias correction counts the optimizer's steps: one count for every
 * parameter, as Keras counts them. Otherwise it is DJL's {@code Adam} / {@code AdamW} (same defaults, same native
 * update), and it gives their results whenever every parameter trains from the first step.
 *
 * <p>Why not DJL's own: its count is the largest number of updates any parameter has had so far, taken while the
 * trainer visits the parameters in a hash map's order, which changes from run to run. A parameter that starts
 * training late (the backbone in stage 2) then gets step k or k - 1 by chance, and the same seed gave a different
 * model on every run. Here the trainer says when a step begins ({@link #nextStep}), so the order cannot matter.
 *
 * <p>With {@code ownSteps} the correction instead counts the steps since the parameter's first update, as PyTorch's
 * Adam keeps a step per parameter. It matters only for a parameter that joins late: under the shared count, Adam's
 * moment estimates for it start at zero while their correction is already that of a later step, so whatever the
 * gradients its updates are a fresh Adam's times a factor: after a 374-step head stage, 1.8 at its first step, up to
 * ~3.7 around its 10th, 1.6 at its 187th, 1.1 at its 1000th.
 */
final class StepCountedAdam extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final ParameterTracker rates;
    private final boolean decoupledDecay;
    private final boolean ownSteps;
    private final Map<String, Integer> firstSteps = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
    private int step;

    /**
     * @param rates learning rate per parameter
     * @param weightDecay 0: Adam; above 0: AdamW, each step also shrinks every weight by its rate times this
     * @param ownSteps the bias correction counts each parameter's steps from its first update, not the optimizer's
     */
    StepCountedAdam(ParameterTracker rates, float weightDecay, boolean ownSteps) {
        super(new Settings().optWeightDecays(weightDecay));
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw new IllegalArgumentException("weight decay must be finite and 0 or more: " + weightDecay);
        }
        this.rates = rates;
        this.decoupledDecay = weightDecay > 0;
        this.ownSteps = ownSteps;
    }

    /** Begins the next step: call once before each {@code Trainer.step()}. */
    void nextStep() {
        step++;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (step == 0) {
            throw new IllegalStateException("nextStep() was not called before the first update");
        }
        float rate = rates.getNewValue(parameterId, step);
        // Steps since the first update (not a count of calls), so devices or visiting order cannot change it.
        int count = ownSteps ? step - firstSteps.computeIfAbsent(parameterId, k -> step) + 1 : step;
        double coef1 = 1.0 - Math.pow(BETA1, count);
        double coef2 = 1.0 - Math.pow(BETA2, count);
        float corrected = (float) (rate * Math.sqrt(coef2) / coef1);
        if (!Float.isFinite(rate) || !Float.isFinite(corrected)) {
            // DJL's Adam refuses these too; without the check a bad rate would silently turn every weight into NaN
            throw new IllegalArgumentException("learning rate of " + parameterId + " is NaN or infinite: " + rate);
        }
        NDList inputs = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), rate, corrected, getWeightDecay(),
                rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, decoupledDecay);
    }

    /** DJL's builder holds the settings every optimizer shares (here only the weight decay is set). */
    private static final class Settings extends OptimizerBuilder<Settings> {
        @Override
        protected Settings self() {
            return this;
        }
    }
}
