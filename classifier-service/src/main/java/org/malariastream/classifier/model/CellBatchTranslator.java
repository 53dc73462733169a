package org.malariastream.classifier.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Float batch in, {@code P(parasitized)} per image out. The batch is already preprocessed by
 * {@link org.malariastream.classifier.model.preprocess.ImagePreprocessor}, so this translator
 * only wraps the buffer as an {@code [N,3,S,S]} tensor and turns the two logits into a probability.
 * One instance per predictor (it owns a reusable native input buffer).
 */
public final class CellBatchTranslator implements NoBatchifyTranslator<CellBatch, float[]> {

    private final TensorBuffer buffer = new TensorBuffer();

    @Override
    public NDList processInput(TranslatorContext ctx, CellBatch batch) {
        int s = batch.size();
        return new NDList(buffer.wrap(ctx.getNDManager(), batch.data(), new Shape(batch.count(), 3, s, s)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return parasitizedProbability(list.singletonOrThrow());
    }

    /** softmax over the 2 logits of each row, column 1 (parasitized). */
    public static float[] parasitizedProbability(NDArray logits) {
        NDArray p = logits.softmax(1);
        return p.get(":, 1").toFloatArray();
    }
}
