package org.malariastream.classifier.model.preprocess;

/**
 * Per-image colour constancy: each channel is scaled so that the cell's median colour matches a reference.
 * Stains differ far more between slides than between the cells of one slide (patient means of red range
 * 143-216 in {@code ../shared}, the cells of one patient 3-10 apart), so a model should not have to learn
 * every stain from the patients it happened to train on. The median, not the mean, so that a parasite's few
 * dark pixels barely move the gains; the black padding around the crop is left out.
 */
public final class ColourNormalisation {

    /** Median over the cells of {@code ../shared} of each cell's median foreground colour (RGB, 0-255). */
    public static final float[] REFERENCE = {191f, 152f, 154f};

    /** Pixels whose brightest channel is below this are the crop's black padding. */
    static final int BACKGROUND = 20;

    /** Bounds of a gain: a cell so dark or bright that it needs more is not a stain difference. */
    static final float MIN_GAIN = 0.25f;
    static final float MAX_GAIN = 4f;

    private static final float[] UNIT = {1f, 1f, 1f};

    private ColourNormalisation() {
    }

    /** Per-channel factors mapping {@code image}'s median foreground colour to {@code reference}; 1 without foreground. */
    public static float[] gains(RgbImage image, float[] reference) {
        byte[] px = image.rgb();
        int[] histogram = new int[3 * 256];
        int count = 0;
        for (int i = 0; i < px.length; i += 3) {
            int r = px[i] & 0xff, g = px[i + 1] & 0xff, b = px[i + 2] & 0xff;
            if (Math.max(r, Math.max(g, b)) < BACKGROUND) {
                continue;
            }
            histogram[r]++;
            histogram[256 + g]++;
            histogram[512 + b]++;
            count++;
        }
        if (count == 0) {
            return UNIT.clone();
        }
        float[] gains = new float[3];
        for (int c = 0; c < 3; c++) {
            int median = median(histogram, c * 256, count);
            float gain = reference[c] / Math.max(1, median);
            gains[c] = Math.min(MAX_GAIN, Math.max(MIN_GAIN, gain));
        }
        return gains;
    }

    private static int median(int[] histogram, int offset, int count) {
        int seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += histogram[offset + v];
            if (2 * seen >= count) {
                return v;
            }
        }
        return 255;
    }
}
