package org.malariastream.classifier.model.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.malariastream.classifier.model.CellClassifier;
import org.malariastream.classifier.model.CellModel;
import org.malariastream.classifier.model.Prediction;
import org.malariastream.classifier.model.data.CellDataset;
import org.malariastream.classifier.model.data.CellFile;
import org.malariastream.classifier.model.data.SkippedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a model over every image of a dataset through the serving path (file bytes → decode →
 * preprocess → batch forward) and scores the predictions. Undecodable files are skipped and counted.
 */
public final class Evaluator {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    private Evaluator() {}

    /**
     * @param metrics the figures at the model's threshold
     * @param skipped every file left out (from the scan and from decoding)
     * @param imagesPerSecond end-to-end throughput, reading and decoding included
     * @param files the scored files, in the order of {@code probabilities}
     */
    public record Result(Metrics metrics, List<SkippedFile> skipped, double imagesPerSecond, double seconds,
            List<CellFile> files, float[] probabilities) {

        /**
         * The figures with every cell's probability adjusted to its slide's estimated parasitized share
         * ({@link SlidePrior}), at threshold 0.5 on the adjusted probabilities.
         */
        public Metrics slideAware(double sharpen) {
            return SlidePrior.metrics(probabilities, labels(files), slides(files), sharpen);
        }
    }

    public static Result evaluate(CellModel model, CellDataset dataset, int batchSize, IntConsumer progress)
            throws IOException {
        List<SkippedFile> skipped = new ArrayList<>(dataset.skipped());
        List<CellFile> scored = new ArrayList<>();
        List<Float> probs = new ArrayList<>();
        long t0 = System.nanoTime();
        try (CellClassifier classifier = model.newClassifier(batchSize)) {
            List<CellFile> files = dataset.files();
            for (int start = 0; start < files.size(); start += batchSize) {
                List<CellFile> chunk = files.subList(start, Math.min(files.size(), start + batchSize));
                List<byte[]> bytes = new ArrayList<>(chunk.size());
                for (CellFile f : chunk) {
                    bytes.add(Files.readAllBytes(f.path()));
                }
                List<Prediction> predictions = classifier.predict(bytes);
                for (int i = 0; i < chunk.size(); i++) {
                    Prediction p = predictions.get(i);
                    if (p.ok()) {
                        scored.add(chunk.get(i));
                        probs.add(p.probabilityParasitized());
                    } else {
                        LOG.warn("skipping {}: {}", chunk.get(i).path(), p.error());
                        skipped.add(new SkippedFile(chunk.get(i).path(), p.error()));
                    }
                }
                if (progress != null) {
                    progress.accept(chunk.size());
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        float[] p = new float[probs.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = probs.get(i);
        }
        Metrics metrics = Metrics.compute(p, labels(scored), slides(scored), model.threshold());
        return new Result(metrics, skipped, p.length / Math.max(seconds, 1e-9), seconds, scored, p);
    }

    private static boolean[] labels(List<CellFile> files) {
        boolean[] y = new boolean[files.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = files.get(i).label().isParasitized();
        }
        return y;
    }

    /** Slide id per file, null where the file name carries none. */
    private static String[] slides(List<CellFile> files) {
        return files.stream().map(CellFile::knownSlide).toArray(String[]::new);
    }
}
