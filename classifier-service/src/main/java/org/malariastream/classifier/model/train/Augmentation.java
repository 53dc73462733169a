package org.malariastream.classifier.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Random;
import org.malariastream.classifier.model.preprocess.ViewTransform;

/**
 * Random training views of a cell: any of the 8 flips / quarter turns, optionally a rotation by any angle up
 * to {@code maxRotation}, a small zoom and shift, and colour jitter (saturation, contrast, brightness). Cells have
 * no canonical orientation, so the dihedral views and rotations are label-preserving; the jitter mimics stain and
 * exposure differences between slides.
 *
 * @param dihedral random flips and quarter turns
 * @param maxZoom zoom drawn uniformly from {@code [1/(1+maxZoom), 1+maxZoom]}
 * @param maxShift shift of the sampled window, as a fraction of the image, per axis
 * @param colour jitter amplitude: each factor drawn from {@code [1-colour, 1+colour]}
 * @param maxRotation rotation drawn uniformly from {@code [-maxRotation, maxRotation]} degrees after the dihedral
 *     view; 45 with {@code dihedral} makes every angle equally likely (0: quarter turns only)
 */
public record Augmentation(
        @JsonProperty("dihedral") boolean dihedral,
        @JsonProperty("max_zoom") double maxZoom,
        @JsonProperty("max_shift") double maxShift,
        @JsonProperty("colour") double colour,
        @JsonProperty("max_rotation") double maxRotation) {

    public static final Augmentation NONE = new Augmentation(false, 0, 0, 0, 0);
    public static final Augmentation DEFAULT = new Augmentation(true, 0.10, 0.06, 0.12, 0);

    public Augmentation {
        if (!(colour >= 0 && colour < 1)) {
            throw new IllegalArgumentException("colour jitter must be in [0, 1), got " + colour);
        }
        if (!(maxRotation >= 0 && maxRotation <= 180)) {
            throw new IllegalArgumentException("rotation must be in [0, 180] degrees, got " + maxRotation);
        }
    }

    /** The same geometric views with colour jitter of amplitude {@code amplitude}. */
    public Augmentation withColour(double amplitude) {
        return new Augmentation(dihedral, maxZoom, maxShift, amplitude, maxRotation);
    }

    /** The same views, each also rotated by up to {@code degrees}. */
    public Augmentation withRotation(double degrees) {
        return new Augmentation(dihedral, maxZoom, maxShift, colour, degrees);
    }

    public ViewTransform sample(Random random) {
        ViewTransform t = dihedral ? ViewTransform.dihedral(random.nextInt(8)) : ViewTransform.IDENTITY;
        if (maxRotation > 0) {
            t = t.rotate(Math.toRadians((random.nextDouble() * 2 - 1) * maxRotation));
        }
        if (maxZoom > 0 || maxShift > 0) {
            double zoom = Math.exp((random.nextDouble() * 2 - 1) * Math.log1p(maxZoom));
            double du = (random.nextDouble() * 2 - 1) * maxShift;
            double dv = (random.nextDouble() * 2 - 1) * maxShift;
            t = t.zoomShift(zoom, du, dv);
        }
        if (colour > 0) {
            t = t.withColour(1 + (random.nextDouble() * 2 - 1) * colour,
                    1 + (random.nextDouble() * 2 - 1) * colour,
                    1 + (random.nextDouble() * 2 - 1) * colour);
        }
        return t;
    }
}
