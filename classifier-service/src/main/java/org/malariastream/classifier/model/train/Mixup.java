package org.malariastream.classifier.model.train;

import java.util.Random;

/**
 * Mixup (Zhang et al., 2018): each training image of a batch is blended with another image of the
 * same batch, {@code x = l * x_i + (1 - l) * x_j}, and so are their soft labels, with one
 * {@code l ~ Beta(alpha, alpha)} per batch, folded to {@code l >= 0.5} so each image stays mostly
 * itself. Training on blends discourages confident fits to single labels, which is the published
 * argument for it on data with label noise.
 */
final class Mixup {

    private final double alpha;
    private float[] images = new float[0];
    private float[] labels = new float[0];

    /** {@code alpha > 0}; smaller means blends closer to one image. */
    Mixup(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("mixup alpha must be > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * Blends the first {@code n} images ({@code floatsPerImage} floats each) and their 2-class
     * labels in place; returns the weight {@code l} of each image's own content.
     */
    double apply(float[] x, float[] y, int n, int floatsPerImage, Random random) {
        double l = beta(random);
        l = Math.max(l, 1 - l);
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            partner[i] = i;
        }
        CellTrainer.shuffle(partner, random);
        // blend from copies: a partner may already have been blended in place
        if (images.length < n * floatsPerImage) {
            images = new float[n * floatsPerImage];
            labels = new float[n * 2];
        }
        System.arraycopy(x, 0, images, 0, n * floatsPerImage);
        System.arraycopy(y, 0, labels, 0, n * 2);
        float a = (float) l, b = (float) (1 - l);
        for (int i = 0; i < n; i++) {
            int from = i * floatsPerImage, other = partner[i] * floatsPerImage;
            for (int k = 0; k < floatsPerImage; k++) {
                x[from + k] = a * images[from + k] + b * images[other + k];
            }
            y[2 * i] = a * labels[2 * i] + b * labels[2 * partner[i]];
            y[2 * i + 1] = a * labels[2 * i + 1] + b * labels[2 * partner[i] + 1];
        }
        return l;
    }

    /** Beta(alpha, alpha) as G1 / (G1 + G2) of two Gamma(alpha, 1) draws. */
    private double beta(Random random) {
        double g1 = gamma(random), g2 = gamma(random);
        return g1 + g2 > 0 ? g1 / (g1 + g2) : 0.5; // both may underflow to 0 for a small alpha
    }

    /**
     * Gamma(alpha, 1) by Marsaglia and Tsang (2000); for alpha < 1 a Gamma(alpha + 1) draw times
     * {@code U^(1/alpha)}.
     */
    private double gamma(Random random) {
        double shape = alpha < 1 ? alpha + 1 : alpha;
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        double g;
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                g = d * v;
                break;
            }
        }
        return alpha < 1 ? g * Math.pow(random.nextDouble(), 1 / alpha) : g;
    }
}
