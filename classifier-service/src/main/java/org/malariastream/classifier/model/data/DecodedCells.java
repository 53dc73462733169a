package org.malariastream.classifier.model.data;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.malariastream.classifier.model.preprocess.ImageDecodeException;
import org.malariastream.classifier.model.preprocess.ImageDecoder;
import org.malariastream.classifier.model.preprocess.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a dataset decoded into memory (about 55 kB a cell), in the dataset's order. Files
 * that fail to read or decode (truncated, corrupt) are skipped with a warning and counted.
 */
public record DecodedCells(List<DecodedCell> cells, List<SkippedFile> skipped) {

    private static final Logger LOG = LoggerFactory.getLogger(DecodedCells.class);

    /** One decoded cell. */
    public record DecodedCell(CellFile file, RgbImage image) {}

    public DecodedCells {
        cells = List.copyOf(cells);
        skipped = List.copyOf(skipped);
    }

    /** Decodes every file of {@code dataset} with {@code threads} threads. */
    public static DecodedCells decode(CellDataset dataset, int threads, IntConsumer progress) {
        List<CellFile> files = dataset.files();
        RgbImage[] images = new RgbImage[files.size()];
        String[] errors = new String[files.size()];
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(() -> IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    images[i] = ImageDecoder.decode(Files.readAllBytes(files.get(i).path()));
                } catch (ImageDecodeException e) {
                    errors[i] = e.getMessage();
                } catch (Exception e) {
                    errors[i] = "unreadable: " + e.getMessage();
                }
                if (progress != null) {
                    progress.accept(1);
                }
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding failed", e.getCause());
        } finally {
            pool.shutdown();
        }
        List<DecodedCell> cells = new ArrayList<>(files.size());
        List<SkippedFile> skipped = new ArrayList<>(dataset.skipped());
        for (int i = 0; i < files.size(); i++) {
            if (images[i] != null) {
                cells.add(new DecodedCell(files.get(i), images[i]));
            } else {
                LOG.warn("skipping {}: {}", files.get(i).path(), errors[i]);
                skipped.add(new SkippedFile(files.get(i).path(), errors[i]));
            }
        }
        return new DecodedCells(cells, skipped);
    }

    /** The cells whose files are in {@code subset} (dataset order kept). */
    public List<DecodedCell> select(List<CellFile> subset) {
        java.util.Set<java.nio.file.Path> wanted = new java.util.HashSet<>();
        subset.forEach(f -> wanted.add(f.path()));
        return cells.stream().filter(c -> wanted.contains(c.file().path())).toList();
    }
}
