package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.junit.jupiter.api.Test;

/** On the real PyTorch engine: cross-entropy as DJL computes it, and the generalised cross-entropy by hand. */
class CellLossTest {

    // 4 cells, soft labels (smoothing 0.1): cell 1 is confidently wrong, cell 3 less so, 0 and 2 right; also the batch
    // of LossTruncationTest
    static final float[] LOGITS = {2f, -1f, 3f, -2f, -1f, 1.5f, 0.5f, 0f};
    static final float[] LABELS = {0.95f, 0.05f, 0.05f, 0.95f, 0.05f, 0.95f, 0.05f, 0.95f};

    @Test
    void withQZeroItIsDjlsSoftmaxCrossEntropyCellByCell() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(LOGITS, new Shape(4, 2));
            NDArray labels = m.create(LABELS, new Shape(4, 2));
            CellLoss loss = new CellLoss(0);
            float[] perCell = loss.perCell(logits, labels).toFloatArray();
            float djl = new SoftmaxCrossEntropyLoss("loss", 1, -1, false, true)
                    .evaluate(new NDList(labels), new NDList(logits)).getFloat();

            // cell 1 by hand: log-softmax of (3, -2) is (-0.0067, -5.0067); 0.05 * 0.0067 + 0.95 * 5.0067
            assertThat(perCell[1]).isCloseTo(4.7567f, within(1e-3f));
            assertThat((perCell[0] + perCell[1] + perCell[2] + perCell[3]) / 4).isCloseTo(djl, within(1e-5f));
            assertThat(loss.evaluate(new NDList(labels), new NDList(logits)).getFloat()).isCloseTo(djl, within(1e-6f));
        }
    }

    @Test
    void theGeneralisedLossIsTheLabelWeightedSumOfOneMinusPToTheQOverQ() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(LOGITS, new Shape(4, 2));
            NDArray labels = m.create(LABELS, new Shape(4, 2));
            float[] perCell = new CellLoss(0.5f).perCell(logits, labels).toFloatArray();
            float[] crossEntropy = new CellLoss(0).perCell(logits, labels).toFloatArray();

            // cell 1 by hand: p = (0.99331, 0.00669); 0.05 (1 - 0.99331^0.5) / 0.5 + 0.95 (1 - 0.00669^0.5) / 0.5
            assertThat(perCell[1]).isCloseTo(1.74490f, within(1e-4f));
            assertThat(perCell[1]).as("bounded by 1/q, where cross-entropy grows without bound")
                    .isLessThan(2f).isLessThan(crossEntropy[1] / 2);
        }
    }

    @Test
    void itsGradientIsCrossEntropysTimesTheLabelledClassProbabilityToTheQ() {
        float q = 0.7f;
        // hard labels: a well-fitted cell and a confidently contradicted one
        float[] logits = {2f, -1f, 2f, -1f};
        float[] labels = {1f, 0f, 0f, 1f};
        float[] generalised = gradient(new CellLoss(q), logits, labels);
        float[] crossEntropy = gradient(new CellLoss(0), logits, labels);
        double pRight = 1 / (1 + Math.exp(-3)); // softmax of (2, -1), class 0

        for (int cell = 0; cell < 2; cell++) {
            double pLabelled = cell == 0 ? pRight : 1 - pRight;
            for (int c = 0; c < 2; c++) {
                assertThat((double) generalised[2 * cell + c])
                        .isCloseTo(Math.pow(pLabelled, q) * crossEntropy[2 * cell + c], within(1e-6));
            }
        }
        assertThat(Math.abs(generalised[2]) / Math.abs(crossEntropy[2])).as("the contradicted cell pulls far less")
                .isLessThan(0.2f);
    }

    @Test
    void aQOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new CellLoss(-0.1f)).hasMessageContaining("must be in [0, 1]");
        assertThatThrownBy(() -> new CellLoss(1.5f)).hasMessageContaining("must be in [0, 1]");
        assertThatThrownBy(() -> new CellLoss(Float.NaN)).hasMessageContaining("must be in [0, 1]");
    }

    private static float[] gradient(CellLoss loss, float[] logitValues, float[] labelValues) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(logitValues, new Shape(2, 2));
            logits.setRequiresGradient(true);
            NDArray labels = m.create(labelValues, new Shape(2, 2));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(loss.evaluate(new NDList(labels), new NDList(logits)));
            }
            return logits.getGradient().toFloatArray();
        }
    }
}
