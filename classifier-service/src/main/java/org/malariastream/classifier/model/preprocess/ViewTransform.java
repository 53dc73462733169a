package org.malariastream.classifier.model.preprocess;

/**
 * A geometric and colour transform applied while resampling a cell into the model's input.
 *
 * <p>Coordinates are normalised and centred (-0.5..0.5 across the image). For each output pixel
 * at centred position {@code (u, v)} the source is sampled at
 * {@code (a00*u + a01*v + tu, a10*u + a11*v + tv)}; samples outside the source image are black,
 * the background of the NIH cell crops. The colour part (saturation, contrast, brightness
 * factors, 1 = unchanged) acts on 0-255 RGB before normalisation.
 */
public record ViewTransform(
        double a00, double a01, double a10, double a11, double tu, double tv,
        double saturation, double contrast, double brightness) {

    /** The plain resize used for serving. */
    public static final ViewTransform IDENTITY = new ViewTransform(1, 0, 0, 1, 0, 0, 1, 1, 1);

    /**
     * One of the 8 symmetries of the square: {@code view & 3} quarter turns, then a horizontal
     * flip when {@code view >= 4}. View 0 is the identity.
     */
    public static ViewTransform dihedral(int view) {
        if (view < 0 || view > 7) {
            throw new IllegalArgumentException("view must be 0..7: " + view);
        }
        int k = view & 3;
        int cos = k == 0 ? 1 : k == 2 ? -1 : 0;
        int sin = k == 1 ? 1 : k == 3 ? -1 : 0;
        int flip = view >= 4 ? -1 : 1;
        // rotation * diag(flip, 1)
        return new ViewTransform(cos * flip, -sin, sin * flip, cos, 0, 0, 1, 1, 1);
    }

    /**
     * This transform followed by a rotation of the view by {@code radians} about the centre; {@code PI / 2} is the
     * quarter turn of {@code dihedral(1)}. Corners it brings in from outside the source are black, like the crops'
     * background.
     */
    public ViewTransform rotate(double radians) {
        double c = Math.cos(radians);
        double s = Math.sin(radians);
        return new ViewTransform(a00 * c + a01 * s, -a00 * s + a01 * c, a10 * c + a11 * s, -a10 * s + a11 * c,
                tu, tv, saturation, contrast, brightness);
    }

    /** This transform followed by a zoom (>1 magnifies) and a shift of the sampled window. */
    public ViewTransform zoomShift(double zoom, double shiftU, double shiftV) {
        double s = 1.0 / zoom;
        return new ViewTransform(a00 * s, a01 * s, a10 * s, a11 * s, tu + shiftU, tv + shiftV,
                saturation, contrast, brightness);
    }

    /** The same geometry with the given colour factors. */
    public ViewTransform withColour(double saturation, double contrast, double brightness) {
        return new ViewTransform(a00, a01, a10, a11, tu, tv, saturation, contrast, brightness);
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    boolean hasColour() {
        return saturation != 1 || contrast != 1 || brightness != 1;
    }
}
