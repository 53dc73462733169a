package org.malariastream.classifier.model.preprocess;

import java.util.Objects;

/**
 * A decoded image as interleaved 8-bit RGB ({@code r,g,b,r,g,b,...}, row-major).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param rgb {@code width * height * 3} bytes
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        Objects.requireNonNull(rgb, "rgb");
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "bad image: " + width + "x" + height + " with " + rgb.length + " bytes");
        }
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0-255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }
}
