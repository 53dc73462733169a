package org.malariastream.classifier.model.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.testutil.SharedData;

class ColourNormalisationTest {

    private static final float[] REF = ColourNormalisation.REFERENCE;

    /** Left half black padding, right half cell colour {@code cell} with a dark spot of {@code spot} pixels. */
    private static RgbImage paddedCell(int w, int h, int[] cell, int spot) {
        byte[] px = new byte[w * h * 3];
        int spotted = 0;
        for (int y = 0; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                int[] colour = spotted++ < spot ? new int[] {40, 20, 90} : cell;
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = (byte) colour[c];
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    private static RgbImage tinted(RgbImage image, float[] factor) {
        byte[] px = image.rgb().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.min(255, Math.round((px[i] & 0xff) * factor[i % 3]));
        }
        return new RgbImage(image.width(), image.height(), px);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void gainsMapTheMedianCellColourToTheReferenceIgnoringPaddingAndAFewDarkPixels() {
        // 20 x 20 cell pixels, 30 of them a parasite-dark spot: the median stays the cell colour
        float[] gains = ColourNormalisation.gains(paddedCell(40, 20, new int[] {170, 110, 140}, 30), REF);
        assertThat(gains[0]).isCloseTo(REF[0] / 170f, within(1e-6f));
        assertThat(gains[1]).isCloseTo(REF[1] / 110f, within(1e-6f));
        assertThat(gains[2]).isCloseTo(REF[2] / 140f, within(1e-6f));
    }

    @Test
    void anImageWithoutForegroundKeepsItsColours() {
        assertThat(ColourNormalisation.gains(new RgbImage(8, 8, new byte[8 * 8 * 3]), REF)).containsExactly(1f, 1f, 1f);
    }

    @Test
    void aRealCellUnderAnotherStainTintComesOutAlmostAsTheOriginalOnlyWhenNormalised() throws Exception {
        RgbImage cell = ImageDecoder.decode(Files.readAllBytes(SharedData.first("Parasitized", 1).get(0)));
        RgbImage darker = tinted(cell, new float[] {0.85f, 0.72f, 0.93f});
        ImagePreprocessor plain = new ImagePreprocessor(64);
        ImagePreprocessor normalised = new ImagePreprocessor(64, ImagePreprocessor.IMAGENET_MEAN,
                ImagePreprocessor.IMAGENET_STD, REF, false);
        float[][] out = new float[4][plain.floatsPerImage()];
        plain.toTensor(cell, out[0], 0);
        plain.toTensor(darker, out[1], 0);
        normalised.toTensor(cell, out[2], 0);
        normalised.toTensor(darker, out[3], 0);
        // the tint's rounding and the median's whole-number steps leave a few hundredths (of ~4.4 per 255)
        assertThat(maxDifference(out[2], out[3])).isLessThan(0.1);
        assertThat(maxDifference(out[0], out[1])).isGreaterThan(0.5);
    }

    @Test
    void trainingViewsApplyTheSameGainsAsServing() {
        int[] colour = {230, 120, 150};
        RgbImage cell = paddedCell(36, 36, colour, 0);
        float[] gains = ColourNormalisation.gains(cell, REF);
        ImagePreprocessor pre = new ImagePreprocessor(36, ImagePreprocessor.IMAGENET_MEAN,
                ImagePreprocessor.IMAGENET_STD, REF, false);
        float[] served = new float[pre.floatsPerImage()];
        float[] flipped = new float[pre.floatsPerImage()];
        pre.toTensor(cell, served, 0);
        pre.toTensor(cell, ViewTransform.dihedral(4), flipped, 0);
        int plane = 36 * 36;
        for (int c = 0; c < 3; c++) {
            float expected = (Math.min(255f, colour[c] * gains[c]) / 255f - ImagePreprocessor.IMAGENET_MEAN[c])
                    / ImagePreprocessor.IMAGENET_STD[c];
            for (int y = 0; y < 36; y++) {
                for (int x = 0; x < 36; x++) {
                    boolean inCell = x >= 18;
                    assertThat(served[c * plane + y * 36 + x]).isCloseTo(inCell ? expected : zero(c), within(1e-4f));
                    // the flip mirrors the columns: the cell is on the left in the view
                    assertThat(flipped[c * plane + y * 36 + x]).isCloseTo(x < 18 ? expected : zero(c), within(1e-4f));
                }
            }
        }
    }

    private static float zero(int c) {
        return -ImagePreprocessor.IMAGENET_MEAN[c] / ImagePreprocessor.IMAGENET_STD[c];
    }
}
