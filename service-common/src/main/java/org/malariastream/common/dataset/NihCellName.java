package org.malariastream.common.dataset;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Patient, slide and cell parsed from an NIH malaria dataset file name, e.g.
 * {@code C100P61ThinF_IMG_20150918_144104_cell_162.png}: patient {@code C100}, slide
 * {@code IMG_20150918_144104}, cell 162. Healthy donors have no {@code P} part. The same names saved as JPEG, or
 * with the extension in capitals, parse alike (the loaders take JPEG too).
 */
public record NihCellName(String patient, String slide, int cell) {
    private static final Pattern NAME = Pattern.compile(
            "^C(?<c>\\d+)(?:[A-Z]?P(?<p>\\d+))?.*?_IMG_(?<slide>\\d{8}_\\d{6}[a-z]?)_cell_(?<cell>\\d+)"
                    + "\\.(?i:png|jpe?g)$");

    /** Empty when the name does not follow the NIH naming. */
    public static Optional<NihCellName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new NihCellName("C" + m.group("c"), "IMG_" + m.group("slide"), Integer.parseInt(m.group("cell"))));
    }

    /** The cell's id within its slide, as the services carry it. */
    public String cellId() {
        return "cell_" + cell;
    }
}
