package org.malariastream.ingest.intake;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Well-formed scanner, slide and cell ids: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter
 * or digit. That rules out path traversal ("../x"), separators and control characters, since ids become
 * folder names, URL segments and Kafka keys.
 */
public final class Identifiers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Identifiers() {}

    /** Empty when the id is well formed, else what is wrong with it. */
    public static Optional<String> problem(String what, String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of(what + " is missing");
        }
        if (!ID.matcher(id).matches()) {
            return Optional.of(what + " '" + printable(id) + "' is not a valid id: use 1 to 128 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        return Optional.empty();
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
