package org.malariastream.classifier.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The training loss on soft labels: cross-entropy, or with {@code q > 0} the generalised cross-entropy of Zhang and
 * Sabuncu (2018), {@code sum_c y_c (1 - p_c^q) / q}. Its gradient is cross-entropy's times {@code p_c^q}, so a cell
 * the network confidently disagrees with (often a mislabelled one, and this set has some) pulls less; {@code q -> 0}
 * is cross-entropy, {@code q = 1} the mean absolute error.
 */
final class CellLoss extends Loss {

    private final float q;

    /** {@code q} in [0, 1]; 0: cross-entropy. */
    CellLoss(float q) {
        super("loss");
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("the generalised cross-entropy's q must be in [0, 1], got " + q);
        }
        this.q = q;
    }

    /** The loss of each cell of a batch: logits [n, 2], soft labels [n, 2] -> [n]. */
    NDArray perCell(NDArray logits, NDArray labels) {
        NDArray logP = logits.logSoftmax(1);
        if (q == 0) {
            return logP.mul(labels).neg().sum(new int[] {1});
        }
        // p^q as exp(q log p): finite for the tiny probabilities that smoothed labels still weigh
        return logP.mul(q).exp().neg().add(1).div(q).mul(labels).sum(new int[] {1});
    }

    /** The batch's mean loss. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return perCell(predictions.singletonOrThrow(), labels.singletonOrThrow()).mean();
    }
}
