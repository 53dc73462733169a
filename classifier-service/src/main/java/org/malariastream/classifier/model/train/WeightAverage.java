package org.malariastream.classifier.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exponential moving average of weights (Polyak averaging) during fine-tuning. The average of the
 * last steps' weights is often a better model than the last step's own: the noise of single
 * mini-batch updates averages out, at no cost when serving (the backbone has BatchNorm folded into
 * its convolutions, so the weights are the whole state). The decay ramps up as
 * {@code min(decay, (1 + t) / (10 + t))} after {@code t} updates, so the average follows the
 * weights closely at first and spans more steps as training settles.
 */
final class WeightAverage implements AutoCloseable {

    private final float decay;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> averages = new ArrayList<>();
    private long updates;

    /** Starts the average at the parameters' current values. */
    WeightAverage(Iterable<Parameter> tracked, float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("weight-average decay must be in (0,1), got " + decay);
        }
        this.decay = decay;
        for (Parameter p : tracked) {
            parameters.add(p);
            averages.add(p.getArray().duplicate());
        }
    }

    /** The decay applied at update number {@code t} (0-based). */
    static double decayAt(float decay, long t) {
        return Math.min(decay, (1.0 + t) / (10.0 + t));
    }

    /** Folds the parameters' current values into the average: {@code avg += (1 - d) (w - avg)}. */
    void update() {
        float step = (float) (1 - decayAt(decay, updates++));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray avg = averages.get(i);
            try (NDArray delta = parameters.get(i).getArray().sub(avg)) {
                avg.addi(delta.muli(step));
            }
        }
    }

    /** The averaged weights by parameter id (the layout {@link CellTrainer} snapshots and restores). */
    Map<String, float[]> snapshot() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            out.put(parameters.get(i).getId(), averages.get(i).toFloatArray());
        }
        return out;
    }

    @Override
    public void close() {
        averages.forEach(NDArray::close);
    }
}
