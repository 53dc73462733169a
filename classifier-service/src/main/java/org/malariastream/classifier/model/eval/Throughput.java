package org.malariastream.classifier.model.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;

/** Serving throughput: encoded bytes in, predictions out, at several batch sizes. */
public final class Throughput {

    private Throughput() {}

    /**
     * Images per second of {@link CellClassifier#predict(List)} (decode + preprocess + forward +
     * softmax) over {@code images}, after one warm-up pass, per batch size.
     */
    public static Map<Integer, Double> measure(CellModel model, List<byte[]> images, int[] batchSizes, int repeats) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int b : batchSizes) {
            try (CellClassifier classifier = model.newClassifier(b)) {
                run(classifier, images, b); // warm-up
                long t0 = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    run(classifier, images, b);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                out.put(b, images.size() * (double) repeats / s);
            }
        }
        return out;
    }

    private static void run(CellClassifier classifier, List<byte[]> images, int batch) {
        for (int start = 0; start < images.size(); start += batch) {
            classifier.predict(images.subList(start, Math.min(images.size(), start + batch)));
        }
    }
}
