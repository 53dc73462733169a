package org.malariastream.classifier.model.data;

/** The two classes of the NIH set. The model's output index is {@link #index()}. */
public enum CellLabel {
    UNINFECTED("Uninfected", 0),
    PARASITIZED("Parasitized", 1);

    private final String directory;
    private final int index;

    CellLabel(String directory, int index) {
        this.directory = directory;
        this.index = index;
    }

    /** The sub-directory name of this class in the NIH layout. */
    public String directory() {
        return directory;
    }

    /** The class index in the model's two logits (1 = parasitized). */
    public int index() {
        return index;
    }

    public boolean isParasitized() {
        return this == PARASITIZED;
    }

    public static CellLabel ofIndex(int index) {
        return index == 1 ? PARASITIZED : UNINFECTED;
    }
}
