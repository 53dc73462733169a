package org.malariastream.classifier.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A small dataset in the NIH layout under a temp dir: real cells (copied) plus the junk a real
 * directory collects: an empty PNG, a text file, a text file named .png, a truncated PNG.
 */
public final class MessyDataset {

    public static final int JUNK_FILES = 4;

    private MessyDataset() {}

    public static Path create(Path root, int perClass) throws IOException {
        for (String cls : List.of("Parasitized", "Uninfected")) {
            Path dir = Files.createDirectories(root.resolve(cls));
            for (Path p : SharedData.spread(cls, perClass, 997)) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        Path par = root.resolve("Parasitized");
        Path uninf = root.resolve("Uninfected");
        Files.write(par.resolve("C999P1ThinF_IMG_20150101_000000_cell_1.png"), new byte[0]);
        Files.writeString(uninf.resolve("notes.txt"), "not an image");
        Files.writeString(uninf.resolve("C998_thinF_IMG_20150101_000001_cell_2.png"), "text pretending to be a png");
        byte[] png = Files.readAllBytes(SharedData.first("Parasitized", 1).get(0));
        Files.write(par.resolve("C997P2ThinF_IMG_20150101_000002_cell_3.png"), Arrays.copyOf(png, png.length / 2));
        return root;
    }
}
