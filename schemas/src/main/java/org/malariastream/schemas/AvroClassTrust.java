package org.malariastream.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.malariastream.avro.CellImage;

/**
 * Avro 1.12 reads only into classes it is told to trust (CVE-2024-47561). This trusts the project's
 * generated package in code, so that no service depends on {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 */
public final class AvroClassTrust {
    private static final String GENERATED_PACKAGE = CellImage.class.getPackageName();
    private static volatile boolean installed;

    private AvroClassTrust() {}

    /** Adds the generated package to Avro's trusted classes; idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                type -> GENERATED_PACKAGE.equals(type.getPackageName())));
        installed = true;
    }
}
