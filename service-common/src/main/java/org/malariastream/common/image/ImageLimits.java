package org.malariastream.common.image;

/**
 * What a cell image may be. Cells are about 130 px a side and 15 KB (46 to 394 px in the NIH set); the
 * defaults leave room for other scanners while refusing decompression bombs before anything is decoded,
 * and keep every event under Kafka's default 1 MiB message size.
 */
public record ImageLimits(int maxBytes, int minSide, int maxSide) {
    public static final ImageLimits DEFAULT = new ImageLimits(1_000_000, 8, 2048);

    public ImageLimits {
        if (maxBytes <= 0 || minSide <= 0 || maxSide < minSide) {
            throw new IllegalArgumentException("invalid image limits: " + maxBytes + " bytes, sides " + minSide + ".." + maxSide);
        }
    }
}
