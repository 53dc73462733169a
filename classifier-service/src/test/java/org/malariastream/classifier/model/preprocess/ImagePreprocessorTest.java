package org.malariastream.classifier.model.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.malariastream.classifier.testutil.SharedData;

class ImagePreprocessorTest {

    private static RgbImage random(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    /** {@code image} seen through {@code view}, as the only image of a batch of {@code pre}. */
    private static float[] tensor(ImagePreprocessor pre, RgbImage image, ViewTransform view) {
        float[] out = new float[pre.floatsPerImage()];
        pre.toTensor(image, view, out, 0);
        return out;
    }

    /** A {@code w x h} image of one colour. */
    private static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            px[3 * i] = (byte) r;
            px[3 * i + 1] = (byte) g;
            px[3 * i + 2] = (byte) b;
        }
        return new RgbImage(w, h, px);
    }

    private static float norm(int value, int c) {
        return (value / 255f - ImagePreprocessor.IMAGENET_MEAN[c]) / ImagePreprocessor.IMAGENET_STD[c];
    }

    @Test
    void constantImageNormalisesWithImagenetMeanAndStdInChwOrder() {
        ImagePreprocessor pre = new ImagePreprocessor(64);
        float[] out = new float[pre.floatsPerImage()];
        pre.toTensor(solid(131, 97, 255, 0, 128), out, 0);
        int plane = 64 * 64;
        for (int i = 0; i < plane; i++) {
            assertThat(out[i]).isCloseTo(norm(255, 0), within(1e-4f));
            assertThat(out[plane + i]).isCloseTo(norm(0, 1), within(1e-4f));
            assertThat(out[2 * plane + i]).isCloseTo(norm(128, 2), within(1e-4f));
        }
    }

    @Test
    void sameSizeResizeKeepsEveryPixel() {
        RgbImage img = random(40, 40, 1);
        ImagePreprocessor pre = new ImagePreprocessor(40);
        float[] out = new float[pre.floatsPerImage()];
        pre.toTensor(img, out, 0);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(out[c * 1600 + y * 40 + x]).isCloseTo(norm(img.get(x, y, c), c), within(1e-3f));
                }
            }
        }
    }

    @Test
    void flipAndHalfTurnViewsPermutePixels() {
        RgbImage img = random(36, 36, 2);
        ImagePreprocessor pre = new ImagePreprocessor(36);
        float[] flip = tensor(pre, img, ViewTransform.dihedral(4));
        float[] half = tensor(pre, img, ViewTransform.dihedral(2));
        for (int y = 0; y < 36; y++) {
            for (int x = 0; x < 36; x++) {
                assertThat(flip[y * 36 + x]).isCloseTo(norm(img.get(35 - x, y, 0), 0), within(1e-3f));
                assertThat(half[y * 36 + x]).isCloseTo(norm(img.get(35 - x, 35 - y, 0), 0), within(1e-3f));
            }
        }
    }

    @Test
    void aRotationByAQuarterTurnIsTheDihedralQuarterTurnAndAnEighthTurnBlackensTheCorners() {
        RgbImage img = random(36, 36, 3);
        ImagePreprocessor pre = new ImagePreprocessor(36);
        float[] quarter = tensor(pre, img, ViewTransform.dihedral(1));
        float[] rotated = tensor(pre, img, ViewTransform.IDENTITY.rotate(Math.PI / 2));
        for (int i = 0; i < quarter.length; i++) {
            assertThat(rotated[i]).isCloseTo(quarter[i], within(1e-3f));
        }

        byte[] white = new byte[36 * 36 * 3];
        Arrays.fill(white, (byte) 255);
        float[] eighth = tensor(pre, new RgbImage(36, 36, white), ViewTransform.IDENTITY.rotate(Math.PI / 4));
        assertThat(eighth[18 * 36 + 18]).as("centre").isCloseTo(norm(255, 0), within(1e-3f));
        assertThat(eighth[0]).as("corner, from outside the source").isCloseTo(norm(0, 0), within(1e-3f));
        assertThat(eighth[35 * 36 + 35]).as("opposite corner").isCloseTo(norm(0, 0), within(1e-3f));
    }

    @Test
    void keepingTheAspectLetterboxesAWideCropBetweenBlackBandsAndStretchingFillsTheSquare() {
        RgbImage wide = solid(40, 20, 200, 100, 50);
        ImagePreprocessor letterbox = new ImagePreprocessor(40, ImagePreprocessor.IMAGENET_MEAN,
                ImagePreprocessor.IMAGENET_STD, null, true);
        float[] kept = tensor(letterbox, wide, ViewTransform.IDENTITY);
        float[] stretched = tensor(new ImagePreprocessor(40), wide, ViewTransform.IDENTITY);
        // The 20 rows of the crop span output rows 10..29 at the crop's own scale (1 px = 1 px); 10 black rows above
        // and below.
        for (int y = 0; y < 40; y++) {
            boolean band = y < 10 || y >= 30;
            for (int x = 0; x < 40; x++) {
                assertThat(kept[y * 40 + x]).as("row %d", y).isCloseTo(norm(band ? 0 : 200, 0), within(1e-3f));
                assertThat(kept[1600 + y * 40 + x]).isCloseTo(norm(band ? 0 : 100, 1), within(1e-3f));
                assertThat(stretched[y * 40 + x]).isCloseTo(norm(200, 0), within(1e-3f));
            }
        }
        // A quarter turn of a letterboxed crop turns the cell, bands and all: the bands now stand left and right.
        float[] turned = tensor(letterbox, wide, ViewTransform.dihedral(1));
        assertThat(turned[20 * 40 + 5]).isCloseTo(norm(0, 0), within(1e-3f));
        assertThat(turned[5 * 40 + 20]).isCloseTo(norm(200, 0), within(1e-3f));
    }

    @Test
    void keepingTheAspectOfASquareCropChangesNothing() {
        RgbImage square = random(50, 50, 5);
        ImagePreprocessor letterbox = new ImagePreprocessor(32, ImagePreprocessor.IMAGENET_MEAN,
                ImagePreprocessor.IMAGENET_STD, null, true);
        float[] kept = tensor(letterbox, square, ViewTransform.IDENTITY);
        float[] stretched = tensor(new ImagePreprocessor(32), square, ViewTransform.IDENTITY);
        for (int i = 0; i < kept.length; i++) {
            assertThat(kept[i]).isCloseTo(stretched[i], within(1e-4f));
        }
    }

    @Test
    void writesOnlyItsOwnBatchSlot() {
        ImagePreprocessor pre = new ImagePreprocessor(32);
        float[] batch = new float[3 * pre.floatsPerImage()];
        pre.toTensor(random(50, 60, 3), batch, 1);
        int n = pre.floatsPerImage();
        assertThat(Arrays.copyOfRange(batch, 0, n)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(batch, 2 * n, 3 * n)).containsOnly(0f);
        assertThat(Arrays.copyOfRange(batch, n, 2 * n)).doesNotContain(0f);
        assertThatThrownBy(() -> pre.toTensor(random(5, 5, 4), batch, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void decodesARealCellLikeImageIo() throws Exception {
        Path file = SharedData.first("Parasitized", 1).get(0);
        byte[] bytes = Files.readAllBytes(file);
        RgbImage img = ImageDecoder.decode(bytes);
        BufferedImage ref = ImageIO.read(file.toFile());
        assertThat(img.width()).isEqualTo(ref.getWidth());
        assertThat(img.height()).isEqualTo(ref.getHeight());
        for (int[] xy : new int[][] {{0, 0}, {img.width() / 2, img.height() / 2}, {img.width() - 1, img.height() - 1}}) {
            int rgb = ref.getRGB(xy[0], xy[1]);
            assertThat(img.get(xy[0], xy[1], 0)).isEqualTo((rgb >> 16) & 0xff);
            assertThat(img.get(xy[0], xy[1], 1)).isEqualTo((rgb >> 8) & 0xff);
            assertThat(img.get(xy[0], xy[1], 2)).isEqualTo(rgb & 0xff);
        }
        float[] viaBytes = new ImagePreprocessor(96).preprocess(bytes);
        float[] viaImage = new float[viaBytes.length];
        new ImagePreprocessor(96).toTensor(img, viaImage, 0);
        assertThat(viaBytes).containsExactly(viaImage);
    }

    @Test
    void rejectsEmptyTextAndTruncatedData() throws Exception {
        byte[] png = Files.readAllBytes(SharedData.first("Uninfected", 1).get(0));
        assertThatThrownBy(() -> ImageDecoder.decode(new byte[0])).isInstanceOf(ImageDecodeException.class);
        assertThatThrownBy(() -> ImageDecoder.decode("hello".getBytes())).isInstanceOf(ImageDecodeException.class);
        assertThatThrownBy(() -> ImageDecoder.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOf(ImageDecodeException.class);
    }
}
