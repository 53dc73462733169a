package org.malariastream.classifier.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** On the real PyTorch engine: which cells are left out, and that they get no gradient. */
class LossTruncationTest {

    // CellLossTest's 4 cells: cell 1 is confidently wrong, cell 3 less so, 0 and 2 right
    private static final float[] LOGITS = CellLossTest.LOGITS;
    private static final float[] LABELS = CellLossTest.LABELS;
    private static final CellLoss CROSS_ENTROPY = new CellLoss(0);

    @Test
    void theHighestLossCellsAreLeftOutOfTheMeanAndTheGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(LOGITS, new Shape(4, 2));
            logits.setRequiresGradient(true);
            NDArray labels = m.create(LABELS, new Shape(4, 2));
            float[] perCell;
            float kept;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = CROSS_ENTROPY.perCell(logits, labels);
                perCell = loss.toFloatArray();
                NDArray mean = LossTruncation.keptMean(loss, 2);
                kept = mean.getFloat();
                gc.backward(mean);
            }
            float[] gradient = logits.getGradient().toFloatArray();

            assertThat(perCell[1]).isGreaterThan(perCell[3]);
            assertThat(perCell[3]).isGreaterThan(Math.max(perCell[0], perCell[2]));
            assertThat(kept).isCloseTo((perCell[0] + perCell[2]) / 2, within(1e-5f));
            for (int cell : new int[] {1, 3}) {
                assertThat(gradient[2 * cell]).isZero();
                assertThat(gradient[2 * cell + 1]).isZero();
            }
            for (int cell : new int[] {0, 2}) {
                assertThat(Math.abs(gradient[2 * cell])).isGreaterThan(1e-4f);
            }
        }
    }

    @Test
    void theShareRampsUpOverTheFirstEpochsAndNeverTakesTheWholeBatch() {
        LossTruncation truncation = new LossTruncation(0.1, 4);

        assertThat(truncation.dropped(32, 0)).isZero();
        assertThat(truncation.dropped(32, 2)).isEqualTo(2); // 0.05 * 32 = 1.6
        assertThat(truncation.dropped(32, 4)).isEqualTo(3);
        assertThat(truncation.dropped(32, 7.5)).isEqualTo(3);
        assertThat(truncation.dropped(1, 7.5)).isZero(); // a last batch of one cell still trains
        assertThatThrownBy(() -> new LossTruncation(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LossTruncation(0.5, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
