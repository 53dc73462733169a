package org.malariastream.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Optional bearer-token check; the comparison takes the same time whatever the token, so it leaks nothing. */
final class BearerAuth {
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean allows(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}
