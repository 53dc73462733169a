package org.malariastream.classifier.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import org.malariastream.classifier.model.preprocess.ImageDecodeException;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.classifier.model.preprocess.ImagePreprocessor;
import org.malariastream.classifier.model.preprocess.RgbImage;
import org.malariastream.classifier.model.preprocess.ViewTransform;

/**
 * Classifies cell images with a {@link CellModel}: decode → preprocess into one reused batch buffer
 * → one forward per batch → {@code P(parasitized)} (averaged over the model's test-time views) →
 * label at the model's threshold. Not thread-safe: one per worker.
 */
public final class CellClassifier implements AutoCloseable {

    public static final int DEFAULT_MAX_BATCH = 32;

    private final CellModel model;
    private final Predictor<CellBatch, float[]> predictor;
    private final ImagePreprocessor preprocessor;
    private final ViewTransform[] views;
    private final int maxBatch;
    private float[] buffer;

    CellClassifier(CellModel model, Predictor<CellBatch, float[]> predictor, int maxBatch) {
        this.model = model;
        this.predictor = predictor;
        this.preprocessor = model.preprocessor();
        this.views = TestTimeViews.transforms(model.spec().ttaViews());
        this.maxBatch = Math.max(maxBatch, views.length);
        this.buffer = new float[this.maxBatch * preprocessor.floatsPerImage()];
    }

    public CellModel model() {
        return model;
    }

    /**
     * Classifies encoded PNG / JPEG images. An image that cannot be decoded gets a failed
     * {@link Prediction} (no label); the others are unaffected.
     */
    public List<Prediction> predict(List<byte[]> images) {
        List<RgbImage> decoded = new ArrayList<>(images.size());
        String[] errors = new String[images.size()];
        for (int i = 0; i < images.size(); i++) {
            try {
                decoded.add(ImageDecoder.decode(images.get(i)));
            } catch (ImageDecodeException e) {
                errors[i] = e.getMessage();
            }
        }
        float[] p = probabilities(decoded);
        List<Prediction> out = new ArrayList<>(images.size());
        for (int i = 0, j = 0; i < images.size(); i++) {
            out.add(errors[i] != null ? Prediction.failed(errors[i]) : Prediction.of(p[j++], model.threshold()));
        }
        return out;
    }

    /** {@code P(parasitized)} for decoded images, with the model's test-time views. */
    public float[] probabilities(List<RgbImage> images) {
        return probabilities(images, views);
    }

    /** {@code P(parasitized)} averaged over the given views of each image. */
    public float[] probabilities(List<RgbImage> images, ViewTransform[] viewSet) {
        float[][] perView = viewProbabilities(images, viewSet);
        float[] out = new float[images.size()];
        for (int i = 0; i < out.length; i++) {
            double sum = 0;
            for (float p : perView[i]) {
                sum += p;
            }
            out[i] = (float) (sum / viewSet.length);
        }
        return out;
    }

    /** {@code P(parasitized)} of every view of every image: {@code [image][view]}. */
    public float[][] viewProbabilities(List<RgbImage> images, ViewTransform[] viewSet) {
        float[][] out = new float[images.size()][viewSet.length];
        int perForward = Math.max(1, maxBatch / viewSet.length);
        ensureCapacity(perForward * viewSet.length);
        for (int start = 0; start < images.size(); start += perForward) {
            int n = Math.min(perForward, images.size() - start);
            int slot = 0;
            for (int i = 0; i < n; i++) {
                for (ViewTransform v : viewSet) {
                    preprocessor.toTensor(images.get(start + i), v, buffer, slot++);
                }
            }
            float[] p = probabilities(new CellBatch(buffer, slot, preprocessor.size()));
            for (int i = 0; i < n; i++) {
                System.arraycopy(p, i * viewSet.length, out[start + i], 0, viewSet.length);
            }
        }
        return out;
    }

    /**
     * {@code P(parasitized)} for a batch already preprocessed with {@link CellModel#preprocessor()}
     * (no test-time views): the path for callers that fill their own batch buffers.
     */
    public float[] probabilities(CellBatch batch) {
        if (batch.size() != preprocessor.size()) {
            throw new IllegalArgumentException("batch is " + batch.size() + "px, model expects " + preprocessor.size());
        }
        try {
            return predictor.predict(batch);
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    private void ensureCapacity(int images) {
        int need = images * preprocessor.floatsPerImage();
        if (buffer.length < need) {
            buffer = new float[need];
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}
