package org.malariastream.classifier.model.data;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Patient, slide and cell parsed from an NIH file name, e.g.
 * {@code C100P61ThinF_IMG_20150918_144104_cell_162.png} → patient {@code C100}, slide
 * {@code IMG_20150918_144104}, cell 162.
 */
public record CellName(String patient, String slide, int cell) {

    static final Pattern NIH_NAME = Pattern.compile(
            "^C(?<c>\\d+)(?:[A-Z]?P(?<p>\\d+))?.*?_IMG_(?<slide>\\d{8}_\\d{6}[a-z]?)_cell_(?<cell>\\d+)\\.png$");

    /** Parses a file name; empty when it does not follow the NIH naming. */
    public static Optional<CellName> parse(String fileName) {
        Matcher m = NIH_NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CellName(
                "C" + m.group("c"), "IMG_" + m.group("slide"), Integer.parseInt(m.group("cell"))));
    }
}
