package org.malariastream.classifier.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Small-loss selection (the selection step of Co-teaching, Han et al., 2018): in fine-tuning, the
 * {@code share} of each batch's cells with the highest loss is left out of the gradient. A network
 * fits clean labels before noisy ones, so late in training the cells it disagrees with most are
 * mostly the mislabelled ones, and this set has some. The share ramps up linearly over the first
 * {@code rampEpochs} fine-tuning epochs, while the network is still learning the clean cells.
 */
final class LossTruncation {

    private final double share;
    private final double rampEpochs;

    /** {@code share} in (0, 0.5); {@code rampEpochs > 0}, in fine-tuning epochs (fractions allowed). */
    LossTruncation(double share, double rampEpochs) {
        if (!(share > 0 && share < 0.5)) {
            throw new IllegalArgumentException("the share of cells to drop must be in (0, 0.5), got " + share);
        }
        if (!(rampEpochs > 0)) {
            throw new IllegalArgumentException("the ramp must be > 0 epochs, got " + rampEpochs);
        }
        this.share = share;
        this.rampEpochs = rampEpochs;
    }

    /** How many of a batch of {@code n} cells to drop after {@code progress} fine-tuning epochs (rounded). */
    int dropped(int n, double progress) {
        double now = share * Math.min(1, Math.max(0, progress) / rampEpochs);
        return (int) Math.min(n - 1, Math.round(now * n));
    }

    /**
     * The mean loss over the cells that are kept: all but the {@code drop} with the highest loss
     * (ties broken by position). The selection itself carries no gradient.
     */
    static NDArray keptMean(NDArray perCell, int drop) {
        float[] loss = perCell.toFloatArray();
        int n = loss.length;
        Integer[] byLoss = new Integer[n];
        for (int i = 0; i < n; i++) {
            byLoss[i] = i;
        }
        Arrays.sort(byLoss, (a, b) -> Float.compare(loss[b], loss[a]));
        float[] keep = new float[n];
        Arrays.fill(keep, 1f);
        for (int i = 0; i < drop; i++) {
            keep[byLoss[i]] = 0f;
        }
        NDManager manager = perCell.getManager();
        return perCell.mul(manager.create(keep)).sum().div(n - drop);
    }
}
