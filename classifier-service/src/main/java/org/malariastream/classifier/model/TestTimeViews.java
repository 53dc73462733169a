package org.malariastream.classifier.model;

import org.malariastream.classifier.model.preprocess.ViewTransform;

/** The dihedral views averaged at prediction time for a given number of views. */
public final class TestTimeViews {

    private TestTimeViews() {}

    /** 1 → identity; 2 → identity + horizontal flip; 4 → the four quarter turns; 8 → all. */
    public static int[] views(int count) {
        return switch (count) {
            case 1 -> new int[] {0};
            case 2 -> new int[] {0, 4};
            case 4 -> new int[] {0, 1, 2, 3};
            case 8 -> new int[] {0, 1, 2, 3, 4, 5, 6, 7};
            default -> throw new IllegalArgumentException("test-time views must be 1, 2, 4 or 8: " + count);
        };
    }

    public static ViewTransform[] transforms(int count) {
        int[] v = views(count);
        ViewTransform[] t = new ViewTransform[v.length];
        for (int i = 0; i < v.length; i++) {
            t[i] = ViewTransform.dihedral(v[i]);
        }
        return t;
    }
}
