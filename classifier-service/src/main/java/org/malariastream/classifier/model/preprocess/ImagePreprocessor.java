package org.malariastream.classifier.model.preprocess;

/**
 * The one preprocessing path of training, evaluation and serving: decoded RGB → (optionally) per-image colour
 * normalisation ({@link ColourNormalisation}) → bilinear resize to {@code size x size} → {@code (x/255 - mean)/std}
 * per channel → planar CHW floats, written straight into a caller's (batch) buffer.
 *
 * <p>The resize stretches the whole crop to the square by default. With {@code keepAspect} the crop's longer side
 * spans the square and the shorter one is centred between black bands (letterbox), black being the crops'
 * background, so a cell keeps its shape.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImagePreprocessor {

    /** ImageNet mean and standard deviation (RGB), as the MobileNetV2 backbone expects. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final int size;
    private final float[] scale = new float[3];
    private final float[] offset = new float[3];
    private final float[] colourReference;
    private final boolean keepAspect;

    public ImagePreprocessor(int size) {
        this(size, IMAGENET_MEAN, IMAGENET_STD, null, false);
    }

    /**
     * @param colourReference null: colours as decoded; else the RGB colour each image's median foreground colour is
     *     scaled to before resizing ({@link ColourNormalisation})
     * @param keepAspect letterbox the crop into the square rather than stretch it
     */
    public ImagePreprocessor(int size, float[] mean, float[] std, float[] colourReference, boolean keepAspect) {
        if (size < 32 || size > 1024) {
            throw new IllegalArgumentException("input size must be 32..1024: " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 channels");
        }
        if (colourReference != null && colourReference.length != 3) {
            throw new IllegalArgumentException("the colour reference needs 3 channels");
        }
        this.colourReference = colourReference == null ? null : colourReference.clone();
        this.size = size;
        this.keepAspect = keepAspect;
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            offset[c] = -mean[c] / std[c];
        }
    }

    public int size() {
        return size;
    }

    /** Floats one image occupies: {@code 3 * size * size}. */
    public int floatsPerImage() {
        return 3 * size * size;
    }

    /** Decodes and preprocesses one image into a new array. */
    public float[] preprocess(byte[] encoded) throws ImageDecodeException {
        float[] out = new float[floatsPerImage()];
        preprocess(encoded, out, 0);
        return out;
    }

    /** Decodes and preprocesses one image into {@code dst} at image slot {@code index}. */
    public void preprocess(byte[] encoded, float[] dst, int index) throws ImageDecodeException {
        toTensor(ImageDecoder.decode(encoded), ViewTransform.IDENTITY, dst, index);
    }

    /** Plain resize + normalise into slot {@code index} of {@code dst}. */
    public void toTensor(RgbImage image, float[] dst, int index) {
        toTensor(image, ViewTransform.IDENTITY, dst, index);
    }

    /** Resamples {@code image} through {@code t}, normalises, writes slot {@code index}. */
    public void toTensor(RgbImage image, ViewTransform t, float[] dst, int index) {
        int plane = size * size;
        int base = index * 3 * plane;
        if (base < 0 || base + 3 * plane > dst.length) {
            throw new IndexOutOfBoundsException("slot " + index + " outside buffer of " + dst.length);
        }
        float[] gain = colourReference == null ? null : ColourNormalisation.gains(image, colourReference);
        if (t.isIdentity() && !keepAspect) {
            resizeIdentity(image, gain, dst, base, plane);
        } else {
            resampleAffine(image, gain, t, dst, base, plane);
        }
    }

    private void resizeIdentity(RgbImage image, float[] gain, float[] dst, int base, int plane) {
        int w = image.width();
        int h = image.height();
        byte[] px = image.rgb();
        int[] x0 = new int[size];
        int[] x1 = new int[size];
        float[] fx = new float[size];
        for (int x = 0; x < size; x++) {
            double sx = (((x + 0.5) / size - 0.5) + 0.5) * w - 0.5;
            axis(sx, w, x, x0, x1, fx);
        }
        float s0 = scale[0], s1 = scale[1], s2 = scale[2];
        float o0 = offset[0], o1 = offset[1], o2 = offset[2];
        for (int y = 0; y < size; y++) {
            double sy = (((y + 0.5) / size - 0.5) + 0.5) * h - 0.5;
            int yy0 = clamp((int) Math.floor(sy), h);
            int yy1 = clamp((int) Math.floor(sy) + 1, h);
            float fy = (float) (sy - Math.floor(sy));
            int row0 = yy0 * w * 3;
            int row1 = yy1 * w * 3;
            int o = base + y * size;
            for (int x = 0; x < size; x++) {
                int a = row0 + x0[x] * 3, b = row0 + x1[x] * 3, c = row1 + x0[x] * 3, d = row1 + x1[x] * 3;
                float wx = fx[x];
                float w00 = (1 - wx) * (1 - fy), w01 = wx * (1 - fy), w10 = (1 - wx) * fy, w11 = wx * fy;
                float r = (px[a] & 0xff) * w00 + (px[b] & 0xff) * w01 + (px[c] & 0xff) * w10 + (px[d] & 0xff) * w11;
                float g = (px[a + 1] & 0xff) * w00 + (px[b + 1] & 0xff) * w01 + (px[c + 1] & 0xff) * w10 + (px[d + 1] & 0xff) * w11;
                float bl = (px[a + 2] & 0xff) * w00 + (px[b + 2] & 0xff) * w01 + (px[c + 2] & 0xff) * w10 + (px[d + 2] & 0xff) * w11;
                if (gain != null) {
                    r = scaled(r, gain[0]);
                    g = scaled(g, gain[1]);
                    bl = scaled(bl, gain[2]);
                }
                dst[o + x] = r * s0 + o0;
                dst[o + x + plane] = g * s1 + o1;
                dst[o + x + 2 * plane] = bl * s2 + o2;
            }
        }
    }

    private static void axis(double s, int n, int i, int[] i0, int[] i1, float[] f) {
        double fl = Math.floor(s);
        i0[i] = clamp((int) fl, n);
        i1[i] = clamp((int) fl + 1, n);
        f[i] = (float) (s - fl);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }

    private void resampleAffine(RgbImage image, float[] gain, ViewTransform t, float[] dst, int base, int plane) {
        int w = image.width();
        int h = image.height();
        byte[] px = image.rgb();
        boolean colour = t.hasColour();
        // Letterbox: both axes span the longer side, so the shorter one covers less than -0.5..0.5 of the square.
        // Exactly 1 when stretching, which keeps that path's arithmetic (and its outputs) as before.
        double stretchX = keepAspect ? Math.max(w, h) / (double) w : 1.0;
        double stretchY = keepAspect ? Math.max(w, h) / (double) h : 1.0;
        float sat = (float) t.saturation(), con = (float) t.contrast(), bri = (float) t.brightness();
        for (int y = 0; y < size; y++) {
            double v = (y + 0.5) / size - 0.5;
            int o = base + y * size;
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size - 0.5;
                double su = t.a00() * u + t.a01() * v + t.tu();
                double sv = t.a10() * u + t.a11() * v + t.tv();
                double sx = (su * stretchX + 0.5) * w - 0.5;
                double sy = (sv * stretchY + 0.5) * h - 0.5;
                float r, g, b;
                if (sx < -0.5 || sx > w - 0.5 || sy < -0.5 || sy > h - 0.5) {
                    r = g = b = 0f;
                } else {
                    double flx = Math.floor(sx), fly = Math.floor(sy);
                    int xa = clamp((int) flx, w), xb = clamp((int) flx + 1, w);
                    int ya = clamp((int) fly, h), yb = clamp((int) fly + 1, h);
                    float wx = (float) (sx - flx), wy = (float) (sy - fly);
                    float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
                    int a = (ya * w + xa) * 3, bb = (ya * w + xb) * 3, c = (yb * w + xa) * 3, d = (yb * w + xb) * 3;
                    r = (px[a] & 0xff) * w00 + (px[bb] & 0xff) * w01 + (px[c] & 0xff) * w10 + (px[d] & 0xff) * w11;
                    g = (px[a + 1] & 0xff) * w00 + (px[bb + 1] & 0xff) * w01 + (px[c + 1] & 0xff) * w10 + (px[d + 1] & 0xff) * w11;
                    b = (px[a + 2] & 0xff) * w00 + (px[bb + 2] & 0xff) * w01 + (px[c + 2] & 0xff) * w10 + (px[d + 2] & 0xff) * w11;
                    if (gain != null) {
                        r = scaled(r, gain[0]);
                        g = scaled(g, gain[1]);
                        b = scaled(b, gain[2]);
                    }
                    if (colour) {
                        float grey = 0.299f * r + 0.587f * g + 0.114f * b;
                        r = jitter(grey + sat * (r - grey), con, bri);
                        g = jitter(grey + sat * (g - grey), con, bri);
                        b = jitter(grey + sat * (b - grey), con, bri);
                    }
                }
                dst[o + x] = r * scale[0] + offset[0];
                dst[o + x + plane] = g * scale[1] + offset[1];
                dst[o + x + 2 * plane] = b * scale[2] + offset[2];
            }
        }
    }

    /** A colour value times its channel's gain, kept within 0..255 as a decoded value is. */
    private static float scaled(float value, float gain) {
        return Math.min(255f, value * gain);
    }

    private static float jitter(float value, float contrast, float brightness) {
        float v = ((value - 128f) * contrast + 128f) * brightness;
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }
}
