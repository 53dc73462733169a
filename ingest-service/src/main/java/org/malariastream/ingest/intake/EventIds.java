package org.malariastream.ingest.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Event ids are name-based UUIDs (RFC 9562 version 5) of scanner, slide and cell: the same cell sent
 * again, by any door, after any restart, carries the same id, so downstream recognises the resend.
 */
public final class EventIds {
    /** The namespace of malaria-stream cell events (a random UUID fixed once). */
    static final UUID NAMESPACE = UUID.fromString("6f1c3b0e-2a57-4c1e-9a43-1d9b8e6c5f20");

    private EventIds() {}

    /** Ids never contain '/', so joining with it is unambiguous. */
    public static String of(String scannerId, String slideId, String cellId) {
        return nameBased(NAMESPACE, scannerId + "/" + slideId + "/" + cellId).toString();
    }

    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bb.getLong(), bb.getLong());
    }
}
