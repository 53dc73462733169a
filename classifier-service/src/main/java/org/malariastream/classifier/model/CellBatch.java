package org.malariastream.classifier.model;

/**
 * A batch of preprocessed images: {@code count} images of {@code 3 x size x size} floats each, in
 * the first {@code count * 3 * size * size} floats of {@code data} (the buffer may be larger).
 */
public record CellBatch(float[] data, int count, int size) {

    public CellBatch {
        if (count < 1 || (long) count * 3 * size * size > data.length) {
            throw new IllegalArgumentException("buffer of " + data.length + " floats cannot hold "
                    + count + " images of " + size + "px");
        }
    }
}
